import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SystemClock, VirtualClock } from '../../src/time/clock.js';
import { Timeline } from '../../src/time/timeline.js';

test('the virtual clock runs due tasks in time order, at their instants, awaiting each', async () => {
  const clock = new VirtualClock(1_000);
  const seen: Array<[string, number]> = [];

  clock.schedule(3_000, async () => {
    await new Promise((resolve) => setImmediate(resolve));
    seen.push(['b', clock.now()]);
  });
  clock.schedule(2_000, () => {
    seen.push(['a', clock.now()]);
    clock.schedule(2_500, () => void seen.push(['a2', clock.now()]));
  });
  clock.schedule(9_000, () => void seen.push(['late', clock.now()]));

  await clock.advanceTo(5_000);
  assert.deepEqual(seen, [['a', 2_000], ['a2', 2_500], ['b', 3_000]]);
  assert.equal(clock.now(), 5_000);
  assert.equal(clock.pendingCount, 1);
});

test('tasks at the same instant run in the order they were scheduled; a cancelled task never runs', async () => {
  const clock = new VirtualClock(0);
  const seen: number[] = [];
  clock.schedule(10, () => void seen.push(1));
  const cancel = clock.schedule(10, () => void seen.push(2));
  clock.schedule(10, () => void seen.push(3));
  cancel();

  await clock.advanceTo(10);
  assert.deepEqual(seen, [1, 3]);
});

test('a failing task is reported and later tasks still run; time never goes backwards', async () => {
  const errors: unknown[] = [];
  const clock = new VirtualClock(0, (error) => errors.push(error));
  let ran = false;
  clock.schedule(5, () => {
    throw new Error('bad frame');
  });
  clock.schedule(6, () => {
    ran = true;
  });

  await clock.advanceTo(10);
  await clock.advanceTo(3);
  assert.equal(errors.length, 1);
  assert.ok(ran);
  assert.equal(clock.now(), 10);
});

test('the timeline maps sky instants to whole audio frames at the chosen speed', () => {
  const timeline = new Timeline(1_000_000, 96, 48_000);
  assert.equal(timeline.frameAt(1_000_000), 0);
  assert.equal(timeline.frameAt(1_000_000 + 96_000), 48_000);
  assert.equal(timeline.instantAt(48_000), 1_096_000);
  assert.throws(() => new Timeline(0, 0, 48_000), /speed must be a positive number, got 0/);
});

test('a system-clock wait of weeks is taken in pieces Node can time, and runs once, on time', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: Date.parse('2026-01-01T00:00:00Z') });
  const clock = new SystemClock();
  const runs: number[] = [];
  const sixWeeksMs = 42 * 86_400_000;
  const dueAt = Date.now() + sixWeeksMs;

  clock.schedule(dueAt, () => void runs.push(Date.now()));

  // Node's timers hold at most 2^31-1 ms (24.8 days); a single longer timer would fire at once.
  t.mock.timers.tick(1_000);
  await Promise.resolve();
  assert.deepEqual(runs, [], 'not fired early');

  t.mock.timers.tick(2 ** 31 - 1);
  await Promise.resolve();
  assert.deepEqual(runs, [], 'still waiting after the first piece');

  t.mock.timers.tick(dueAt - Date.now() - 1);
  await Promise.resolve();
  assert.deepEqual(runs, [], 'not a millisecond early');

  t.mock.timers.tick(1);
  for (let i = 0; i < 3; i++) await Promise.resolve();
  t.mock.timers.tick(sixWeeksMs);
  for (let i = 0; i < 3; i++) await Promise.resolve();
  assert.deepEqual(runs, [dueAt], 'once, at its instant');
});
