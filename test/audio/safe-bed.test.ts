import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clickAt, peak, rms } from '../../src/audio/measure.js';
import { SafeBed } from '../../src/audio/safe-bed.js';

const RATE = 48_000;

/** Renders `seconds` of the bed in 0.5 s chunks, switching it at the given seconds. */
function render(seconds: number, switches: Array<[number, boolean]>) {
  const bed = new SafeBed(RATE);
  const frames = seconds * RATE;
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  const chunk = RATE / 2;
  for (let start = 0; start < frames; start += chunk) {
    for (const [at, on] of switches) if (at * RATE === start) bed.set(on);
    bed.mixInto(left.subarray(start, start + chunk), right.subarray(start, start + chunk));
  }
  return { sampleRate: RATE, left, right };
}

test('the bed is silent until asked, fades in and out without a click, and sits at a quiet level', () => {
  const audio = render(12, [[1, true], [7, false]]);

  assert.equal(peak(audio, 0, RATE), 0, 'silent before it is asked for');
  assert.ok(clickAt(audio, RATE).clean, 'clean start');
  assert.ok(clickAt(audio, 7 * RATE).clean, 'clean end');

  const level = rms(audio, 4 * RATE, 6 * RATE);
  assert.ok(level > 0.01 && level < 0.1, `steady level ${level.toFixed(3)} is soft but audible`);
  assert.equal(peak(audio, 9.5 * RATE, 12 * RATE), 0, 'silent again after its fade');
});

test('the bed adds to what is already in the buffers', () => {
  const left = new Float32Array(RATE).fill(0.5);
  const right = new Float32Array(RATE).fill(-0.5);
  const bed = new SafeBed(RATE, 0.01);
  bed.set(true);
  bed.mixInto(left, right);
  assert.notEqual(left[RATE - 1], 0.5);
  assert.ok(Math.abs(left[RATE - 1]! - 0.5 - (right[RATE - 1]! + 0.5)) < 1e-6, 'the same bed in both channels');
});
