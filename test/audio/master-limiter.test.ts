import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AudioBuffer } from 'node-web-audio-api';
import { ChunkRenderer, type RenderableStem } from '../../src/audio/chunk-renderer.js';
import { MasterLimiter } from '../../src/audio/master-limiter.js';
import { StreamLimiter } from '../../src/audio/stream-limiter.js';
import type { Voice } from '../../src/audio/plan.js';

const RATE = 48_000;
const CEILING = 10 ** (-1 / 20);

/** A 220 Hz tone at 0.3 with a 0.1 s burst at 1.6 (12 dB over full scale) every second. */
function burstySignal(seconds: number): [Float32Array<ArrayBuffer>, Float32Array<ArrayBuffer>] {
  const length = Math.round(seconds * RATE);
  const left = new Float32Array(length);
  const right = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const inBurst = (i % RATE) >= 0.5 * RATE && (i % RATE) < 0.6 * RATE;
    const amplitude = inBurst ? 1.6 : 0.3;
    left[i] = amplitude * Math.sin((2 * Math.PI * 220 * i) / RATE);
    right[i] = amplitude * Math.sin((2 * Math.PI * 331 * i) / RATE);
  }
  return [left, right];
}

/** Runs the limiter over copies of the signal in chunks of `chunkFrames`. */
function limitIn(chunkFrames: number, [left, right]: readonly [Float32Array, Float32Array]): [Float32Array, Float32Array] {
  const limiter = new MasterLimiter(-1, RATE);
  const outLeft = new Float32Array(left.length);
  const outRight = new Float32Array(right.length);
  for (let start = 0; start < left.length; start += chunkFrames) {
    const frames = Math.min(chunkFrames, left.length - start);
    const end = start + frames + limiter.lookAhead;
    const chunkLeft = left.slice(start, end);
    const chunkRight = right.slice(start, end);
    limiter.process(start, frames, chunkLeft, chunkRight);
    outLeft.set(chunkLeft.subarray(0, frames), start);
    outRight.set(chunkRight.subarray(0, frames), start);
  }
  return [outLeft, outRight];
}

function peakOf(channels: readonly Float32Array[], from = 0, to = Infinity): number {
  let peak = 0;
  for (const samples of channels) {
    for (let i = from; i < Math.min(to, samples.length); i++) peak = Math.max(peak, Math.abs(samples[i]!));
  }
  return peak;
}

test('the limiter keeps every sample under the ceiling and leaves quiet passages alone', () => {
  const input = burstySignal(3);
  const output = limitIn(input[0].length, input);

  assert.ok(peakOf(input) > 1.5);
  assert.ok(peakOf(output) <= CEILING + 1e-6, `peak ${peakOf(output)}`);

  // Before the first burst the signal passes untouched; well after one it has recovered.
  for (let i = 0; i < 0.49 * RATE; i++) assert.equal(output[0][i], input[0][i]);
  const recoveredFrom = Math.round(1.45 * RATE);
  const ratio = peakOf(output, recoveredFrom, 1.5 * RATE) / peakOf([input[0], input[1]], recoveredFrom, 1.5 * RATE);
  assert.ok(ratio > 0.99, `gain 0.85 s after a burst ${ratio}`);

  // Inside a burst the gain holds the peak at the ceiling, not far below it.
  assert.ok(peakOf(output, 0.52 * RATE, 0.58 * RATE) > 0.95 * CEILING);
});

test('the limiter gives the same samples whatever the chunk lengths', () => {
  const input = burstySignal(3);
  const whole = limitIn(input[0].length, input);
  for (const chunk of [4_800, 7_777, 48_000, 100]) {
    const chunked = limitIn(chunk, input);
    for (let channel = 0; channel < 2; channel++) {
      assert.deepEqual(chunked[channel], whole[channel], `chunks of ${chunk} frames`);
    }
  }
});

test('the chunk renderer limits its master bus the same way in chunks as in one render', async () => {
  const length = 2 * RATE;
  const buffer = new AudioBuffer({ numberOfChannels: 2, length, sampleRate: RATE });
  const [left, right] = burstySignal(2);
  buffer.copyToChannel(left, 0);
  buffer.copyToChannel(right, 1);
  const stem: RenderableStem = { buffer, loop: true, trim: 1 };
  const voices: Voice[] = [
    { id: 1, stemId: 'loud', layer: 'coarse', startFrame: 1_000, fadeInFrames: 4_800, stopFrame: null, fadeOutFrames: 0, gain: 1, pan: 0 },
  ];

  async function renderIn(chunkFrames: number, limiterCeilingDb?: number | null): Promise<Float32Array[]> {
    const renderer = new ChunkRenderer({ sampleRate: RATE, masterGain: 1, stem: () => stem, limiterCeilingDb });
    const total = 3 * RATE;
    const out = [new Float32Array(total), new Float32Array(total)];
    for (let start = 0; start < total; start += chunkFrames) {
      const chunk = await renderer.render(start, Math.min(chunkFrames, total - start), voices);
      out[0]!.set(chunk.left, start);
      out[1]!.set(chunk.right, start);
    }
    return out;
  }

  const unlimited = await renderIn(3 * RATE, null);
  const whole = await renderIn(3 * RATE);
  const chunked = await renderIn(0.7 * RATE);

  assert.ok(peakOf(unlimited) > 1.5, 'the plan does go over full scale');
  assert.ok(peakOf(whole) <= CEILING + 1e-6, `limited peak ${peakOf(whole)}`);
  let largestDifference = 0;
  for (let channel = 0; channel < 2; channel++) {
    for (let i = 0; i < whole[channel]!.length; i++) {
      largestDifference = Math.max(largestDifference, Math.abs(whole[channel]![i]! - chunked[channel]![i]!));
    }
  }
  assert.ok(largestDifference < 1e-5, `largest difference ${largestDifference}`);
});

test('the stream limiter gives the one-shot limiter\'s samples, held back by its look-ahead, in chunks of any length', () => {
  const input = burstySignal(3);
  const whole = limitIn(input[0].length, input);

  for (const chunkFrames of [24_000, 999, 72]) {
    const stream = new StreamLimiter(-1, RATE);
    const delay = stream.delayFrames;
    const out = [new Float32Array(input[0].length), new Float32Array(input[0].length)];
    for (let start = 0; start < input[0].length; start += chunkFrames) {
      const end = Math.min(start + chunkFrames, input[0].length);
      const chunk = stream.process(input[0].slice(start, end), input[1].slice(start, end));
      assert.equal(chunk.left.length, end - start);
      out[0]!.set(chunk.left, start);
      out[1]!.set(chunk.right, start);
    }

    assert.ok(peakOf(out) <= CEILING + 1e-6, `peak ${peakOf(out)} in chunks of ${chunkFrames}`);
    assert.equal(peakOf(out, 0, delay), 0, 'the stream starts with the look-ahead of silence');
    for (let channel = 0; channel < 2; channel++) {
      assert.deepEqual(out[channel]!.subarray(delay), whole[channel]!.subarray(0, whole[channel]!.length - delay));
    }
  }
});
