import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pacer, realSleep } from '../../src/time/pacer.js';

/** Fake monotonic time that moves only when the pacer sleeps. */
function fakeTime(): { now: () => number; sleep: (ms: number) => Promise<void>; sleeps: number[] } {
  let nowMs = 0;
  const sleeps: number[] = [];
  return {
    now: () => nowMs,
    sleep: async (ms) => {
      sleeps.push(ms);
      nowMs += ms;
    },
    sleeps,
  };
}

test('a producer far ahead is held until it is only the lead ahead, however far ahead it was', async () => {
  const time = fakeTime();
  const pacer = new Pacer({ leadMs: 2_000, now: time.now, sleep: time.sleep, longestWaitMs: 1_000 });

  await pacer.waitFor(60_000);

  assert.equal(pacer.aheadMs(60_000), 2_000);
  assert.equal(time.now(), 58_000);
  assert.ok(time.sleeps.every((ms) => ms <= 1_000), 'no single wait is longer than the longest wait');
});

test('a producer within the lead, or behind, is not held at all', async () => {
  const time = fakeTime();
  const pacer = new Pacer({ leadMs: 2_000, now: time.now, sleep: time.sleep });

  await pacer.waitFor(1_500);
  await pacer.waitFor(-5_000);

  assert.deepEqual(time.sleeps, []);
});

test('an aborted signal ends the wait at once', async () => {
  const time = fakeTime();
  const pacer = new Pacer({ leadMs: 0, now: time.now, sleep: time.sleep });
  const controller = new AbortController();
  controller.abort();

  await pacer.waitFor(3_600_000, controller.signal);

  assert.deepEqual(time.sleeps, []);
});

test('the real sleep resolves on abort and leaves no listener behind on the signal', async () => {
  const controller = new AbortController();
  const warnings: Error[] = [];
  const onWarning = (warning: Error): void => void warnings.push(warning);
  process.on('warning', onWarning);

  for (let i = 0; i < 50; i += 1) await realSleep(0, controller.signal);
  const pending = realSleep(60_000, controller.signal);
  controller.abort();
  await pending;

  await new Promise((resolve) => setImmediate(resolve));
  process.off('warning', onWarning);
  assert.deepEqual(warnings.map((warning) => warning.name), []);
});
