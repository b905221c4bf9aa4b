import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AudioBuffer } from 'node-web-audio-api';
import { ChunkRenderer, type RenderableStem } from '../../src/audio/chunk-renderer.js';
import { integratedLoudness } from '../../src/audio/loudness.js';
import { LoudnessFollower } from '../../src/audio/loudness-follower.js';
import type { Voice } from '../../src/audio/plan.js';

const RATE = 48_000;
const TARGET = -23;

/** Two detuned tones (stereo), scaled to `lufs`, for `seconds`. */
function tones(seconds: number, lufs: number): [Float32Array, Float32Array] {
  const length = Math.round(seconds * RATE);
  const left = Float32Array.from({ length }, (_, i) => Math.sin((2 * Math.PI * 440 * i) / RATE));
  const right = Float32Array.from({ length }, (_, i) => Math.sin((2 * Math.PI * 554 * i) / RATE));
  const scale = 10 ** ((lufs - integratedLoudness([left, right], RATE)) / 20);
  for (let i = 0; i < length; i++) {
    left[i]! *= scale;
    right[i]! *= scale;
  }
  return [left, right];
}

function concat(...parts: Array<[Float32Array, Float32Array]>): [Float32Array, Float32Array] {
  const join = (channel: 0 | 1) => {
    const out = new Float32Array(parts.reduce((sum, part) => sum + part[channel].length, 0));
    let at = 0;
    for (const part of parts) out.set(part[channel], (at += part[channel].length) - part[channel].length);
    return out;
  };
  return [join(0), join(1)];
}

/** Runs a follower over copies of the signal in chunks of `chunkFrames`, each with `extra` frames processed past it. */
function followIn(chunkFrames: number, [left, right]: readonly [Float32Array, Float32Array], extra = 0): [Float32Array, Float32Array] {
  const follower = new LoudnessFollower(TARGET, RATE);
  const out: [Float32Array, Float32Array] = [new Float32Array(left.length), new Float32Array(left.length)];
  for (let start = 0; start < left.length; start += chunkFrames) {
    const frames = Math.min(chunkFrames, left.length - start);
    const [chunkLeft, chunkRight] = [left.slice(start, start + frames + extra), right.slice(start, start + frames + extra)];
    follower.process(start, frames, chunkLeft, chunkRight, extra);
    out[0].set(chunkLeft.subarray(0, frames), start);
    out[1].set(chunkRight.subarray(0, frames), start);
  }
  return out;
}

const loudnessOf = ([left, right]: [Float32Array, Float32Array], fromS: number, toS: number) =>
  integratedLoudness([left.subarray(fromS * RATE, toS * RATE), right.subarray(fromS * RATE, toS * RATE)], RATE);

test('a mix 4 LU quiet, or 4 LU loud, is brought to the target within a minute; one at the target is left alone', () => {
  for (const lufs of [-27, -19, TARGET]) {
    const out = followIn(RATE, tones(100, lufs));
    const settled = loudnessOf(out, 80, 100);
    assert.ok(Math.abs(settled - TARGET) < 0.3, `${lufs} LUFS in: ${settled.toFixed(2)} LUFS out after 80 s`);
  }
});

test('the gain is bounded to 6 dB', () => {
  const out = followIn(RATE, tones(120, -40 + 25)); // -15 LUFS: 8 LU loud
  assert.ok(Math.abs(loudnessOf(out, 100, 120) - (-15 - 6)) < 0.2, `${loudnessOf(out, 100, 120).toFixed(2)} LUFS`);
});

test('the gain moves in ramps: a 12 dB jump of the input changes the gain by less than 0.001 dB a sample', () => {
  const input = concat(tones(20, TARGET), tones(40, TARGET + 12));
  const out = followIn(4_801, input);
  let largest = 0;
  let previous = 1;
  for (let i = 0; i < input[0].length; i++) {
    if (Math.abs(input[0][i]!) < 1e-3) continue;
    const gain = out[0][i]! / input[0][i]!;
    largest = Math.max(largest, Math.abs(20 * Math.log10(gain / previous)));
    previous = gain;
  }
  assert.ok(largest < 1e-3, `largest change ${largest} dB`);
  assert.ok(loudnessOf(out, 50, 60) < TARGET + 7 && loudnessOf(out, 50, 60) > TARGET + 5.5, 'it did turn down (by its 6 dB at most)');
});

test('a pause does not pull the gain up: after 30 s of silence, or of a murmur 17 LU down, the music comes back at the level it left', () => {
  for (const pauseLufs of [-200, TARGET - 17]) {
    const out = followIn(RATE, concat(tones(30, TARGET), tones(30, pauseLufs), tones(5, TARGET)));
    assert.ok(Math.abs(loudnessOf(out, 60, 65) - TARGET) < 0.1, `${loudnessOf(out, 60, 65).toFixed(2)} LUFS after a pause at ${pauseLufs} LUFS`);
  }
});

test('chunks of any length, with look-ahead frames processed past each, give the samples of one long run', () => {
  const input = concat(tones(7, -30), tones(8, -15));
  const whole = followIn(input[0].length, input);
  for (const [chunkFrames, extra] of [[24_000, 72], [999, 0], [4_800, 72], [333, 1_000]] as const) {
    const chunked = followIn(chunkFrames, input, extra);
    for (let i = 0; i < whole[0].length; i++) {
      if (chunked[0][i] !== whole[0][i] || chunked[1][i] !== whole[1][i]) assert.fail(`chunks of ${chunkFrames} + ${extra} differ at frame ${i}`);
    }
  }
});

test('the chunk renderer holds its master bus (after the master gain) at the target, chunked as one long render', async () => {
  const [left, right] = tones(2, -13);
  const buffer = new AudioBuffer({ numberOfChannels: 2, length: left.length, sampleRate: RATE });
  buffer.copyToChannel(left as Float32Array<ArrayBuffer>, 0);
  buffer.copyToChannel(right as Float32Array<ArrayBuffer>, 1);
  const stem: RenderableStem = { buffer, loop: true, trim: 1 };
  const voices: Voice[] = [{ id: 1, stemId: 's', layer: 'coarse', startFrame: 0, fadeInFrames: 4_800, stopFrame: null, fadeOutFrames: 0, gain: 1, pan: 0 }];

  async function renderIn(chunkFrames: number): Promise<[Float32Array, Float32Array]> {
    const renderer = new ChunkRenderer({ sampleRate: RATE, masterGain: 0.5, loudnessTargetLufs: TARGET, stem: () => stem });
    const total = 90 * RATE;
    const out: [Float32Array, Float32Array] = [new Float32Array(total), new Float32Array(total)];
    for (let start = 0; start < total; start += chunkFrames) {
      const chunk = await renderer.render(start, Math.min(chunkFrames, total - start), voices);
      out[0].set(chunk.left, start);
      out[1].set(chunk.right, start);
    }
    return out;
  }

  const whole = await renderIn(90 * RATE);
  const chunked = await renderIn(0.7 * RATE);
  assert.ok(Math.abs(loudnessOf(whole, 70, 90) - TARGET) < 0.3, `-13 LUFS through a -6 dB master gain held at ${loudnessOf(whole, 70, 90).toFixed(2)} LUFS`);
  assert.deepEqual(chunked[0].subarray(0, 90 * RATE), whole[0].subarray(0, 90 * RATE));
});
