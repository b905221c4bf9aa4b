import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AudioBuffer, OfflineAudioContext } from 'node-web-audio-api';
import { ChunkRenderer, type RenderableStem } from '../../src/audio/chunk-renderer.js';
import type { Voice } from '../../src/audio/plan.js';
import { envelopePoints } from '../../src/audio/envelope.js';

const RATE = 48_000;

/** A stereo stem of summed sines: non-trivial content whose seams would show. */
function toneStem(seconds: number, loop: boolean): RenderableStem {
  const length = Math.round(seconds * RATE);
  const buffer = new AudioBuffer({ numberOfChannels: 2, length, sampleRate: RATE });
  for (let channel = 0; channel < 2; channel++) {
    const data = new Float32Array(length);
    for (let i = 0; i < length; i++) {
      const t = i / RATE;
      data[i] = 0.3 * Math.sin(2 * Math.PI * 220 * t) + 0.2 * Math.sin(2 * Math.PI * (331 + channel) * t);
    }
    buffer.copyToChannel(data, channel);
  }
  return { buffer, loop, trim: 1 };
}

const stems: Record<string, RenderableStem> = { bed: toneStem(1.7, true), accent: toneStem(0.9, false) };

const voices: Voice[] = [
  { id: 1, stemId: 'bed', layer: 'coarse', startFrame: 0, fadeInFrames: 24_000, stopFrame: 300_000, fadeOutFrames: 48_000, gain: 0.8, pan: 0 },
  { id: 2, stemId: 'bed', layer: 'middle', startFrame: 100_000, fadeInFrames: 96_000, stopFrame: null, fadeOutFrames: 0, gain: 0.5, pan: -0.4 },
  { id: 3, stemId: 'accent', layer: 'fine', startFrame: 143_999, fadeInFrames: 240, stopFrame: null, fadeOutFrames: 0, gain: 1, pan: 0.7 },
];

async function renderIn(chunkFrames: number, totalFrames: number): Promise<Float32Array[]> {
  const renderer = new ChunkRenderer({ sampleRate: RATE, masterGain: 0.5, stem: (id) => stems[id] });
  const left = new Float32Array(totalFrames);
  const right = new Float32Array(totalFrames);
  for (let start = 0; start < totalFrames; start += chunkFrames) {
    const frames = Math.min(chunkFrames, totalFrames - start);
    const chunk = await renderer.render(start, frames, voices);
    left.set(chunk.left, start);
    right.set(chunk.right, start);
  }
  return [left, right];
}

test('a plan rendered in chunks joins into the same samples as one long render', async () => {
  const total = 8 * RATE;
  const whole = await renderIn(total, total);
  const chunked = await renderIn(1.3 * RATE, total);

  let largestDifference = 0;
  for (let channel = 0; channel < 2; channel++) {
    for (let i = 0; i < total; i++) {
      largestDifference = Math.max(largestDifference, Math.abs(whole[channel]![i]! - chunked[channel]![i]!));
    }
  }
  assert.ok(largestDifference < 1e-5, `largest difference ${largestDifference}`);
});

test('a voice is silent before its start and after its fade-out', async () => {
  const [left] = await renderIn(RATE, 8 * RATE);
  const peakBetween = (from: number, to: number) => {
    let peak = 0;
    for (let i = from; i < to; i++) peak = Math.max(peak, Math.abs(left![i]!));
    return peak;
  };

  assert.equal(peakBetween(0, 1), 0);
  assert.ok(peakBetween(30_000, 40_000) > 0.05, 'the bed sounds after its fade-in');
});

test('a voice whose stem is missing is skipped and the rest still render', async () => {
  const renderer = new ChunkRenderer({ sampleRate: RATE, masterGain: 1, stem: (id) => stems[id] });
  const ghost: Voice = { ...voices[0]!, id: 9, stemId: 'nowhere' };
  const chunk = await renderer.render(0, RATE, [ghost, voices[0]!]);
  assert.ok(chunk.left.some((sample) => Math.abs(sample) > 0.01));
});

/**
 * The same plan as a Web Audio graph in one node-web-audio-api OfflineAudioContext: per voice
 * a looping buffer source, a gain automated along the envelope, a stereo panner, into a
 * master gain. The renderer must sound the same as the standard nodes would.
 */
async function renderWithWebAudio(totalFrames: number, masterGain: number): Promise<Float32Array[]> {
  const context = new OfflineAudioContext({ numberOfChannels: 2, length: totalFrames, sampleRate: RATE });
  const master = context.createGain();
  master.gain.value = masterGain;
  master.connect(context.destination);

  for (const voice of voices) {
    const stem = stems[voice.stemId]!;
    const source = context.createBufferSource();
    source.buffer = stem.buffer;
    source.loop = stem.loop;
    const gain = context.createGain();
    gain.gain.setValueAtTime(0, 0);
    for (const point of envelopePoints(voice)) gain.gain.linearRampToValueAtTime(point.gain * stem.trim, point.frame / RATE);
    const panner = context.createStereoPanner();
    panner.pan.value = voice.pan;
    source.connect(gain).connect(panner).connect(master);
    source.start(voice.startFrame / RATE);
  }

  const rendered = await context.startRendering();
  return [rendered.getChannelData(0), rendered.getChannelData(1)];
}

test('the renderer sounds as the Web Audio nodes would: looped source, enveloped gain, stereo panner, master gain', async () => {
  const total = 8 * RATE;
  const ours = await renderIn(RATE, total);
  const reference = await renderWithWebAudio(total, 0.5);

  let largestDifference = 0;
  let referencePeak = 0;
  for (let channel = 0; channel < 2; channel++) {
    for (let i = 0; i < total; i++) {
      largestDifference = Math.max(largestDifference, Math.abs(ours[channel]![i]! - reference[channel]![i]!));
      referencePeak = Math.max(referencePeak, Math.abs(reference[channel]![i]!));
    }
  }
  assert.ok(referencePeak > 0.1, `reference peak ${referencePeak}`);
  assert.ok(largestDifference < 1e-3 * referencePeak, `largest difference ${largestDifference} against a peak of ${referencePeak}`);
});
