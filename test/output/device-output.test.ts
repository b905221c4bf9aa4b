import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';
import { DeviceOutput } from '../../src/output/device-output.js';
import { waitUntil } from '../support/camera-servers.js';
import { SAMPLE_RATE, sleep, tone } from './live-support.js';

const noDevice = { type: 'none' } as const;

test('chunks are scheduled back to back, each starting exactly where the previous one ends', async () => {
  const output = new DeviceOutput({ sampleRate: SAMPLE_RATE, log: silentLogger(), sinkId: noDevice });
  await output.start();
  for (let i = 0; i < 12; i++) output.write(tone(0.5, 440, i * 24_000));

  const starts = output.schedule.map((chunk) => chunk.startS);
  assert.equal(starts.length, 12);
  for (let i = 1; i < starts.length; i++) {
    assert.ok(Math.abs(starts[i]! - (starts[i - 1]! + 0.5)) < 1e-9, `chunk ${i} starts at ${starts[i]}`);
  }
  assert.equal(output.gaps, 0);
  assert.equal(output.activeNodes, 12);
  await output.stop();
  assert.equal(output.health().state, 'stopped');
});

test('over many chunks played at real time, nodes end and are released: they never pile up', async () => {
  const output = new DeviceOutput({ sampleRate: SAMPLE_RATE, log: silentLogger(), sinkId: noDevice });
  await output.start();

  let mostActive = 0;
  for (let i = 0; i < 60; i++) {
    output.write(tone(0.05, 440, i * 2_400));
    mostActive = Math.max(mostActive, output.activeNodes);
    await sleep(45);
  }
  await waitUntil('every node ended', () => output.endedNodes === 60, 5_000);

  assert.equal(output.activeNodes, 0);
  assert.ok(mostActive < 15, `at most ${mostActive} nodes were alive at once`);
  assert.equal(output.droppedChunks, 0);
  await output.stop();
});

test('a chunk that comes after the card ran dry starts a little after now, and the gap is counted', async () => {
  const output = new DeviceOutput({ sampleRate: SAMPLE_RATE, log: silentLogger(), sinkId: noDevice, lateMarginS: 0.05 });
  await output.start();
  output.write(tone(0.1));
  await sleep(400);
  output.write(tone(0.1));

  const [first, second] = output.schedule;
  assert.ok(second!.startS > first!.startS + first!.durationS + 0.2, 'the second chunk starts later than the first one ended');
  assert.equal(output.gaps, 1);
  assert.match(output.health().detail ?? '', /1 gaps/);
  await output.stop();
});

test('too much queued: chunks beyond the limit are dropped and counted, not buffered', async () => {
  const output = new DeviceOutput({ sampleRate: SAMPLE_RATE, log: silentLogger(), sinkId: noDevice, maxAheadS: 2.2 });
  await output.start();
  for (let i = 0; i < 10; i++) output.write(tone(0.5));
  assert.equal(output.schedule.length, 5);
  assert.equal(output.droppedChunks, 5);
  await output.stop();
});

test('without a sound card the default device is an input error "no sound card"', async (context) => {
  const output = new DeviceOutput({ sampleRate: SAMPLE_RATE, log: silentLogger() });
  try {
    await output.start();
  } catch (error) {
    assert.ok(error instanceof InputError);
    assert.match(error.message, /^no sound card: .+\(output\.device\)$/);
    assert.equal(output.health().state, 'failed');
    return;
  }
  await output.stop();
  context.skip('this machine has a sound card');
});
