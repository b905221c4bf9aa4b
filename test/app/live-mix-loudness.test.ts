/**
 * Live and offline sound alike: the live mix (0.5 s chunks, master gain as a ramp, stream
 * limiter) and an offline render's renderer (20 s chunks, master gain folded into the
 * voices, limiter with look-ahead) pass a plan through the same reverb and loudness
 * follower, so the samples agree once the live stream's look-ahead delay is allowed for.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { LiveMix } from '../../src/app/live-mix.js';
import { ChunkRenderer } from '../../src/audio/chunk-renderer.js';
import { integratedLoudness } from '../../src/audio/loudness.js';
import type { Voice } from '../../src/audio/plan.js';
import { loadStemLibrary, stemLoudnessFor } from '../../src/audio/stem-library.js';
import type { Composer } from '../../src/composer/composer.js';
import { silentLogger } from '../../src/log.js';
import type { AudioOutput } from '../../src/output/audio-output.js';
import { REPO_DIR } from '../support/paths.js';

const RATE = 48_000;
const SECONDS = 60;
const AUDIO = { targetLufs: -23, masterGainDb: -3, limiterCeilingDb: -1 };

/** Four voices that sum well over the target: three pads and a texture, then a flock accent. */
const VOICES: Voice[] = [
  { id: 1, stemId: 'pad-bright-ah', layer: 'coarse', startFrame: 0, fadeInFrames: 2 * RATE, stopFrame: null, fadeOutFrames: 0, gain: 1, pan: 0 },
  { id: 2, stemId: 'pad-swell-oh', layer: 'coarse', startFrame: 0, fadeInFrames: 2 * RATE, stopFrame: null, fadeOutFrames: 0, gain: 1, pan: 0 },
  { id: 3, stemId: 'drone-low-d', layer: 'coarse', startFrame: 5 * RATE, fadeInFrames: 2 * RATE, stopFrame: null, fadeOutFrames: 0, gain: 1, pan: 0 },
  { id: 4, stemId: 'texture-cirrus-thin', layer: 'middle', startFrame: 20 * RATE, fadeInFrames: 3 * RATE, stopFrame: null, fadeOutFrames: 0, gain: 1, pan: 0 },
  { id: 5, stemId: 'accent-flock-wheel', layer: 'fine', startFrame: 40 * RATE, fadeInFrames: 480, stopFrame: 44 * RATE, fadeOutFrames: 480, gain: 0.9, pan: 0.5 },
];

/** A room at a wet level of 0.3 throughout. */
const REVERB_LEVELS = [{ frame: 0, gain: 0.3 }];

/** The plan above, as the live mix asks a composer for it. */
const composer = {
  reverb: { pointsFrom: () => REVERB_LEVELS },
  update: () => {},
  prune: () => {},
  holdFrom: () => {},
  voicesIn: (start: number, frames: number) =>
    VOICES.filter((v) => v.startFrame < start + frames && (v.stopFrame === null || v.stopFrame + v.fadeOutFrames > start)),
} as unknown as Composer;

test('the live mix and an offline render of one plan give the same samples, both held at the target loudness', async (t) => {
  const stems = await loadStemLibrary(join(REPO_DIR, 'samples/stems'), silentLogger(), { stemLufs: stemLoudnessFor(AUDIO) });
  const stem = (id: string) => {
    const found = stems.get(id);
    return found && { buffer: found.buffer, loop: found.info.loop, trim: found.gain };
  };

  const offline = new ChunkRenderer({
    sampleRate: RATE,
    masterGain: 10 ** (AUDIO.masterGainDb / 20),
    limiterCeilingDb: AUDIO.limiterCeilingDb,
    loudnessTargetLufs: AUDIO.targetLufs,
    reverb: true,
    stem,
  });
  const rendered = [new Float32Array(SECONDS * RATE), new Float32Array(SECONDS * RATE)] as const;
  for (let start = 0; start < SECONDS * RATE; start += 20 * RATE) {
    const chunk = await offline.render(start, 20 * RATE, composer.voicesIn(start, 20 * RATE), REVERB_LEVELS);
    rendered[0].set(chunk.left, start);
    rendered[1].set(chunk.right, start);
  }

  const pcm: Buffer[] = [];
  const output: AudioOutput = { name: 'memory', start: async () => {}, stop: async () => {}, write: (chunk) => pcm.push(Buffer.from(chunk)), health: () => ({ name: 'memory', state: 'running', restarts: 0 }) };
  const mix: LiveMix = new LiveMix({
    composer, stems, clock: { now: () => 0 } as never, log: silentLogger(), outputs: [output],
    sampleRate: RATE, ...AUDIO, chunkS: 0.5, leadS: 3_600,
    onChunk: () => {
      if (mix.renderedFrames >= (SECONDS + 1) * RATE) void mix.fadeOut(0.01);
    },
  });
  await mix.run();
  const interleaved = new Float32Array(Buffer.concat(pcm).buffer.slice(0));
  const delay = 72; // the stream limiter's 1.5 ms look-ahead

  let largest = 0;
  for (let i = 0; i < SECONDS * RATE; i++) {
    largest = Math.max(largest, Math.abs(interleaved[2 * (i + delay)]! - rendered[0][i]!), Math.abs(interleaved[2 * (i + delay) + 1]! - rendered[1][i]!));
  }
  t.diagnostic(`largest difference ${largest.toExponential(2)}`);
  assert.ok(largest < 1e-4, `live and offline differ by up to ${largest}`);

  const unfollowed = new ChunkRenderer({ sampleRate: RATE, masterGain: 10 ** (AUDIO.masterGainDb / 20), limiterCeilingDb: AUDIO.limiterCeilingDb, stem });
  const raw = await unfollowed.render(0, SECONDS * RATE, composer.voicesIn(0, SECONDS * RATE));
  const before = integratedLoudness([raw.left, raw.right], RATE);
  const after = integratedLoudness([rendered[0].subarray(30 * RATE), rendered[1].subarray(30 * RATE)], RATE);
  assert.ok(before > AUDIO.targetLufs + 2, `the plan alone is ${before.toFixed(2)} LUFS: not loud enough to show the follower`);
  t.diagnostic(`${before.toFixed(2)} LUFS without the follower, ${after.toFixed(2)} LUFS with it`);
  assert.ok(Math.abs(after - AUDIO.targetLufs) < 1, `held at ${after.toFixed(2)} LUFS over the last 30 s (${before.toFixed(2)} LUFS without the follower)`);
});
