import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AudioBuffer, OfflineAudioContext } from 'node-web-audio-api';
import { ChunkRenderer, type RenderableStem } from '../../src/audio/chunk-renderer.js';
import type { Voice } from '../../src/audio/plan.js';
import { panAt, panGains, panMoves } from '../../src/audio/pan-path.js';
import { PanGrid } from '../../src/audio/pan-grid.js';
import { clickAt, rms, type DecodedAudio } from '../../src/audio/measure.js';

const RATE = 48_000;

/** A looping stereo stem of the same tone in both channels, so the pan alone sets the balance. */
function toneStem(seconds: number): RenderableStem {
  const length = Math.round(seconds * RATE);
  const buffer = new AudioBuffer({ numberOfChannels: 2, length, sampleRate: RATE });
  const data = new Float32Array(length);
  for (let i = 0; i < length; i++) data[i] = 0.4 * Math.sin((2 * Math.PI * 240 * i) / RATE);
  buffer.copyToChannel(data, 0);
  buffer.copyToChannel(data, 1);
  return { buffer, loop: true, trim: 1 };
}

const stems: Record<string, RenderableStem> = { tone: toneStem(1) };

/** Left to right over seconds 1..5, then a sway of ±0.3 every 2 s about the right. */
const moving: Voice = {
  id: 1,
  stemId: 'tone',
  layer: 'fine',
  startFrame: 0,
  fadeInFrames: 4_800,
  stopFrame: null,
  fadeOutFrames: 0,
  gain: 1,
  pan: -0.9,
  panPath: [
    { frame: 1 * RATE, pan: -0.9 },
    { frame: 5 * RATE + 17, pan: 0.9 },
  ],
};

async function render(voices: Voice[], chunkFrames: number, total: number): Promise<DecodedAudio> {
  const renderer = new ChunkRenderer({ sampleRate: RATE, masterGain: 1, limiterCeilingDb: null, stem: (id) => stems[id] });
  const left = new Float32Array(total);
  const right = new Float32Array(total);
  for (let start = 0; start < total; start += chunkFrames) {
    const chunk = await renderer.render(start, Math.min(chunkFrames, total - start), voices);
    left.set(chunk.left, start);
    right.set(chunk.right, start);
  }
  return { sampleRate: RATE, left, right };
}

function largestDifference(a: DecodedAudio, b: DecodedAudio): number {
  let largest = 0;
  for (const [x, y] of [[a.left, b.left], [a.right, b.right]] as const) {
    for (let i = 0; i < x.length; i++) largest = Math.max(largest, Math.abs(x[i]! - y[i]!));
  }
  return largest;
}

/** Left and right RMS over one second from `second`. */
function balance(audio: DecodedAudio, second: number): { left: number; right: number } {
  const from = second * RATE;
  const to = from + RATE / 2;
  return {
    left: rms({ ...audio, right: audio.left }, from, to),
    right: rms({ ...audio, left: audio.right }, from, to),
  };
}

test('a voice with a pan path renders the same in odd chunks as in one piece', async () => {
  const changes = [{ fromFrame: 3 * RATE, width: -0.5, periodFrames: RATE + 7 }];
  const swaying: Voice = { ...moving, id: 2, panSway: { width: 0.3, periodFrames: 2 * RATE, changes } };
  const whole = await render([swaying], 7 * RATE, 7 * RATE);
  const chunked = await render([swaying], 12_345, 7 * RATE);
  assert.equal(largestDifference(whole, chunked), 0);
});

test('a voice on a path from left to right is heard left at the start and right at the end, without a step', async () => {
  const audio = await render([moving], RATE, 6 * RATE);
  const start = balance(audio, 0.25);
  const end = balance(audio, 5.25);
  assert.ok(start.left > 10 * start.right, `start: left ${start.left}, right ${start.right}`);
  assert.ok(end.right > 10 * end.left, `end: left ${end.left}, right ${end.right}`);

  const middle = balance(audio, 2.75);
  assert.ok(Math.abs(middle.left - middle.right) < 0.2 * middle.left, `middle: left ${middle.left}, right ${middle.right}`);
  for (const second of [1, 2, 3, 4, 5]) {
    const click = clickAt(audio, second * RATE);
    assert.ok(click.clean, `step ${click.step} over ${click.limit} at ${second} s`);
  }
});

test('the pan law read on the grid ramps: neighbouring frames differ by a hair, close to the exact law', () => {
  const voice: Voice = { ...moving, panSway: { width: 0.5, periodFrames: RATE } };
  const grid = new PanGrid(voice);
  const at = (frame: number) => {
    const cell = grid.cellAt(frame);
    const k = frame - cell.cellStart;
    return [cell.leftFromLeft + cell.leftFromLeftSlope * k, cell.rightFromLeft + cell.rightFromLeftSlope * k] as const;
  };
  let previous = at(0);
  let largestStep = 0;
  let largestError = 0;
  for (let frame = 0; frame < 6 * RATE; frame++) {
    const gains = at(frame);
    const exact = panGains(panAt(voice, frame));
    largestError = Math.max(largestError, Math.abs(gains[0] - exact.leftFromLeft), Math.abs(gains[1] - exact.rightFromLeft));
    largestStep = Math.max(largestStep, Math.abs(gains[0] - previous[0]), Math.abs(gains[1] - previous[1]));
    previous = gains;
  }
  // The pan moves about 1e-4 a frame here: the gains move by at most π/2 of that.
  assert.ok(largestStep < 2e-4, `largest step ${largestStep}`);
  // The law's corners (the centre, the sway's turns) are rounded over one 64-frame cell.
  assert.ok(largestError < 3e-3, `largest error ${largestError}`);
});

test('a fixed pan does not move; a path or a sway does; a sway stays within its width', () => {
  const fixed: Voice = { ...moving, panPath: undefined };
  assert.equal(panMoves(fixed), false);
  assert.equal(panAt(fixed, 3 * RATE), -0.9);
  assert.equal(panMoves(moving), true);
  const swaying: Voice = { ...fixed, pan: 0, panSway: { width: 0.4, periodFrames: 4 * RATE } };
  assert.equal(panMoves(swaying), true);
  assert.equal(panAt(swaying, 0), 0);
  assert.ok(Math.abs(panAt(swaying, RATE) - 0.4) < 1e-12, 'right first, a quarter period in');
  assert.ok(Math.abs(panAt(swaying, 3 * RATE) + 0.4) < 1e-12, 'left three quarters in');
  assert.equal(panMoves({ ...fixed, panSway: { width: 0, periodFrames: RATE } }), false);
});

test('a moving voice sounds as a Web Audio stereo panner with the same pan automation would', async () => {
  const total = 6 * RATE;
  const ours = await render([moving], RATE, total);

  const context = new OfflineAudioContext({ numberOfChannels: 2, length: total, sampleRate: RATE });
  const source = context.createBufferSource();
  source.buffer = stems.tone!.buffer;
  source.loop = true;
  const gain = context.createGain();
  gain.gain.setValueAtTime(0, 0);
  gain.gain.linearRampToValueAtTime(1, moving.fadeInFrames / RATE);
  const panner = context.createStereoPanner();
  panner.pan.setValueAtTime(moving.pan, 0);
  for (const point of moving.panPath!) panner.pan.linearRampToValueAtTime(point.pan, point.frame / RATE);
  source.connect(gain).connect(panner).connect(context.destination);
  source.start(0);
  const rendered = await context.startRendering();
  const reference: DecodedAudio = { sampleRate: RATE, left: rendered.getChannelData(0), right: rendered.getChannelData(1) };

  const difference = largestDifference(ours, reference);
  assert.ok(difference < 1e-3 * 0.4, `largest difference ${difference}`);
});
