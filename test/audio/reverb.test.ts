import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AudioBuffer } from 'node-web-audio-api';
import { ChunkRenderer, type RenderableStem } from '../../src/audio/chunk-renderer.js';
import type { EnvelopePoint } from '../../src/audio/envelope.js';
import { clickAt } from '../../src/audio/measure.js';
import type { Voice } from '../../src/audio/plan.js';
import { Reverb } from '../../src/audio/reverb.js';

const RATE = 48_000;

/** A 1.2 s stereo phrase of two sines struck every 0.3 s (10 ms attack): material a room rings after. */
function phraseStem(): RenderableStem {
  const length = Math.round(1.2 * RATE);
  const buffer = new AudioBuffer({ numberOfChannels: 2, length, sampleRate: RATE });
  for (let channel = 0; channel < 2; channel++) {
    const data = new Float32Array(length);
    for (let i = 0; i < length; i++) {
      const sinceOnset = (i % (0.3 * RATE)) / RATE;
      const attack = Math.min(1, sinceOnset / 0.01);
      data[i] = attack * Math.exp(-sinceOnset * 8) * (0.3 * Math.sin(2 * Math.PI * 294 * (i / RATE)) + 0.2 * Math.sin(2 * Math.PI * (440 + channel) * (i / RATE)));
    }
    buffer.copyToChannel(data, channel);
  }
  return { buffer, loop: true, trim: 1 };
}

const voice: Voice = { id: 1, stemId: 'phrase', layer: 'coarse', startFrame: 0, fadeInFrames: 480, stopFrame: 2 * RATE, fadeOutFrames: 4_800, gain: 1, pan: 0 };
/** Dry for 1.05 s, then a 0.35 s ramp to a wet level of 0.8 (between the phrase's strokes). */
const levels: EnvelopePoint[] = [{ frame: 1.05 * RATE, gain: 0 }, { frame: 1.4 * RATE, gain: 0.8 }].map((p) => ({ frame: Math.round(p.frame), gain: p.gain }));

async function renderIn(chunkFrames: number, total: number, reverb = true): Promise<Float32Array[]> {
  const stem = phraseStem();
  const renderer = new ChunkRenderer({ sampleRate: RATE, masterGain: 1, reverb, stem: () => stem });
  const out = [new Float32Array(total), new Float32Array(total)];
  for (let start = 0; start < total; start += chunkFrames) {
    const chunk = await renderer.render(start, Math.min(chunkFrames, total - start), [voice], levels);
    out[0]!.set(chunk.left, start);
    out[1]!.set(chunk.right, start);
  }
  return out;
}

function energy(samples: Float32Array, fromS: number, toS: number): number {
  let sum = 0;
  for (let i = Math.round(fromS * RATE); i < Math.round(toS * RATE); i++) sum += samples[i]! * samples[i]!;
  return sum;
}

test('the reverb, limiter look-ahead included, gives the same samples in chunks as in one render', async () => {
  const total = 4 * RATE;
  const whole = await renderIn(total, total);
  for (const chunk of [24_000, 7_777]) {
    const chunked = await renderIn(chunk, total);
    for (let channel = 0; channel < 2; channel++) assert.deepEqual(chunked[channel], whole[channel], `chunks of ${chunk} frames`);
  }
});

test('the reverb rings on after the voice has stopped, and dies away', async () => {
  const total = 6 * RATE;
  const wet = await renderIn(total, total);
  const dry = await renderIn(total, total, false);

  // The voice ends at 2.1 s: dry is silent after it, wet still sounds and decays.
  assert.equal(energy(dry[0]!, 2.2, 6), 0);
  const early = energy(wet[0]!, 2.2, 2.7);
  const late = energy(wet[0]!, 4.5, 5);
  assert.ok(early > 1e-4, `tail energy just after the stop ${early}`);
  assert.ok(late < early / 100, `tail ${early} then ${late}: it should fall by 20 dB in two seconds`);
});

test('at a wet level of 0 the mix is left exactly as it was', async () => {
  const total = RATE;
  const wet = await renderIn(total, total);
  const dry = await renderIn(total, total, false);
  assert.deepEqual(wet[0]!.subarray(0, RATE), dry[0]!.subarray(0, RATE));
});

test('the wet level ramps in without a click', async () => {
  const total = 3 * RATE;
  const [left, right] = await renderIn(total, total);
  const audio = { sampleRate: RATE, left: left!, right: right! };
  for (const frame of [Math.round(1.05 * RATE), Math.round(1.4 * RATE)]) {
    const { step, limit, clean } = clickAt(audio, frame);
    assert.ok(clean, `click at ${frame / RATE} s: step ${step} > ${limit}`);
  }
});

test('a preview of the look-ahead leaves the reverb as it was', () => {
  const make = () => [new Float32Array(2_000).map((_, i) => Math.sin(i / 7)), new Float32Array(2_000).map((_, i) => Math.cos(i / 5))] as const;
  const flat: EnvelopePoint[] = [{ frame: 0, gain: 1 }];

  const plain = new Reverb(RATE);
  const [a, b] = make();
  plain.process(0, 1_000, a, b, flat);
  plain.process(1_000, 1_000, a.subarray(1_000), b.subarray(1_000), flat);

  const previewed = new Reverb(RATE);
  const [c, d] = make();
  previewed.process(0, 1_000, c, d, flat);
  previewed.preview(0, 1_000, 1_500, c.slice(), d.slice(), flat);
  previewed.process(1_000, 1_000, c.subarray(1_000), d.subarray(1_000), flat);

  assert.deepEqual(c, a);
  assert.deepEqual(d, b);
});
