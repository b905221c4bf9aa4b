import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AudioBuffer } from 'node-web-audio-api';
import { ChunkRenderer } from '../../src/audio/chunk-renderer.js';
import { clickAt, rms } from '../../src/audio/measure.js';
import type { Voice } from '../../src/audio/plan.js';
import { panAt } from '../../src/audio/pan-path.js';
import { flockVoiceCount } from '../../src/composer/flock-voices.js';
import { RATE, START, observation, scoreOf, setUp, stem } from './score-support.js';

const accentScore = () => scoreOf({ fine: '    - { when: { event: flock }, tags: [flock] }' });
const accentStems = [stem('wheel', 'fine', ['flock']), stem('rise', 'fine', ['flock']), stem('lift', 'fine', ['flock'])];

/** A flock.started `atS` seconds in, at `x` across the frame, heading `headingDeg` at `speed` widths/s. */
const flock = (atS: number, size: number, x: number, headingDeg: number | null, speed: number | null) => ({
  at: START + atS * 1000, frameId: `f${atS}`, flockId: `flock-${atS}`, size, centroid: { x, y: 0.3 }, headingDeg, speed,
});

async function voicesFor(event: ReturnType<typeof flock>, seed = 1): Promise<Voice[]> {
  const { bus, composer } = setUp(accentScore(), accentStems, { seed });
  await bus.publish('flock.started', event);
  return composer.voicesIn(0, 60 * RATE).filter((voice) => voice.layer === 'fine');
}

test('a flock of 2 is sung by fewer voices than a flock of 12', async () => {
  const pair = await voicesFor(flock(1, 2, 0.5, 0, 0.05));
  const crowd = await voicesFor(flock(1, 12, 0.5, 0, 0.05));
  assert.equal(pair.length, 1);
  assert.equal(crowd.length, 4);
  assert.deepEqual([1, 2, 3, 5, 6, 11, 12, 40].map(flockVoiceCount), [1, 1, 2, 2, 3, 3, 4, 4]);

  // Four voices over three stems: the fourth reuses one, entering a few tens of ms later.
  const starts = crowd.map((voice) => (voice.startFrame - crowd[0]!.startFrame) / RATE);
  assert.deepEqual(starts.map((s) => Math.round(s * 1000)), [0, 35, 70, 105]);
  assert.equal(new Set(crowd.slice(0, 3).map((voice) => voice.stemId)).size, 3, 'the first three are different stems');
  const gains = crowd.map((voice) => voice.gain);
  assert.ok(gains.every((gain, index) => index === 0 || gain < gains[index - 1]!), `each further voice is a little softer: ${gains}`);
  const power = (voices: Voice[]) => voices.reduce((sum, voice) => sum + voice.gain ** 2, 0);
  assert.ok(power(crowd) > power(pair) && power(crowd) < 2 * power(pair), 'a crowd is a little louder, not four times');
});

test('the voices start on the centroid\'s side and move with the heading', async () => {
  // Left of the frame, flying right (heading 0°) at 0.05 frame widths a second, over a 10 s accent.
  const rightward = await voicesFor(flock(1, 8, 0.2, 0, 0.05));
  for (const voice of rightward) {
    const start = panAt(voice, voice.startFrame);
    const end = panAt(voice, voice.startFrame + 10 * RATE);
    assert.ok(start < -0.3, `voice ${voice.id} starts left: ${start}`);
    assert.ok(Math.abs(end - start - 1) < 1e-9, `voice ${voice.id} moves 1 pan unit right: ${start} to ${end}`);
    assert.ok(panAt(voice, voice.startFrame + 5 * RATE) > start, 'on the way');
  }

  // Right of the frame, flying left (heading 180°) fast: clamped at the left edge.
  const leftward = await voicesFor(flock(1, 8, 0.9, 180, 0.3));
  for (const voice of leftward) {
    assert.ok(panAt(voice, voice.startFrame) > 0.5, 'starts right');
    assert.ok(Math.abs(panAt(voice, voice.startFrame + 10 * RATE) + 1) < 1e-9, 'ends at the left edge, never past it');
  }

  // Flying straight up (heading 270°) or with no heading yet: the voices stay where the flock is.
  for (const still of [await voicesFor(flock(1, 8, 0.7, 270, 0.2)), await voicesFor(flock(1, 8, 0.7, null, null))]) {
    for (const voice of still) assert.ok(Math.abs(panAt(voice, voice.startFrame + 10 * RATE) - panAt(voice, voice.startFrame)) < 1e-9);
  }
});

test('the same flock and seed give the same voices', async () => {
  const event = flock(3, 12, 0.3, 30, 0.08);
  assert.deepEqual(await voicesFor(event, 5), await voicesFor(event, 5));
});

const textureScore = () => scoreOf({ middle: '    - { when: { coverAtLeast: 0.5 }, tags: [overcast] }' });
const textures = [stem('hum', 'middle', ['overcast'])];

async function textureIn(windMs: number): Promise<Voice> {
  const { bus, composer } = setUp(textureScore(), textures);
  await bus.publish('weather.observed', observation(0, { cover: 0.9, windMs }));
  const [voice] = composer.voicesIn(0, RATE).filter((each) => each.layer === 'middle');
  assert.ok(voice, 'the texture plays');
  return voice;
}

/** The texture's pan every second over two minutes. */
function panCourse(voice: Voice): number[] {
  return Array.from({ length: 121 }, (_, second) => panAt(voice, voice.startFrame + second * RATE));
}

test('wind moves a texture slowly back and forth, wider in more wind; calm leaves it still', async () => {
  const calm = panCourse(await textureIn(0.5));
  assert.ok(calm.every((pan) => pan === 0), 'calm: the texture stands in the middle');

  const breeze = panCourse(await textureIn(4));
  const gale = panCourse(await textureIn(14));
  const width = (course: number[]) => Math.max(...course) - Math.min(...course);
  assert.ok(width(breeze) > 0.2, `a breeze moves it: ${width(breeze)}`);
  assert.ok(width(gale) > width(breeze) + 0.3, `a gale moves it wider: ${width(gale)} against ${width(breeze)}`);
  assert.ok(gale.every((pan) => pan >= -1 && pan <= 1));

  // Slow: no second moves it more than a few hundredths, and it turns back within the two minutes.
  const largestSecond = Math.max(...gale.slice(1).map((pan, index) => Math.abs(pan - gale[index]!)));
  assert.ok(largestSecond < 0.1, `largest move in a second ${largestSecond}`);
  assert.ok(gale.some((pan) => pan > 0.3) && gale.some((pan) => pan < -0.3), 'both sides');
});

test('the same wind gives the same drift', async () => {
  assert.deepEqual(await textureIn(7), await textureIn(7));
});

/** Largest change of the texture's pan between neighbouring frames over `seconds`. */
function largestFrameStep(voice: Voice, seconds: number): number {
  let largest = 0;
  let previous = panAt(voice, voice.startFrame);
  for (let frame = voice.startFrame + 1; frame < voice.startFrame + seconds * RATE; frame++) {
    const pan = panAt(voice, frame);
    largest = Math.max(largest, Math.abs(pan - previous));
    previous = pan;
  }
  return largest;
}

test('a texture already playing follows the wind: it starts to sway when the wind rises, stills in calm, never stepping', async () => {
  const { bus, composer } = setUp(textureScore(), textures);
  await bus.publish('weather.observed', observation(0, { cover: 0.9, windMs: 0.5 }));
  const [voice] = composer.voicesIn(0, RATE).filter((each) => each.layer === 'middle');
  const span = (from: number, to: number) => {
    const course = Array.from({ length: to - from + 1 }, (_, second) => panAt(voice!, (from + second) * RATE));
    return Math.max(...course) - Math.min(...course);
  };

  await bus.publish('weather.observed', observation(60, { cover: 0.9, windMs: 12 }));
  assert.equal(span(0, 60), 0, 'still in calm');
  assert.ok(span(60, 180) > 0.8, `swaying once the wind rose: ${span(60, 180)}`);

  await bus.publish('weather.observed', observation(300, { cover: 0.9, windMs: 0 }));
  assert.equal(span(330, 400), 0, 'still again within half a period of the calm');
  assert.equal(panAt(voice!, 400 * RATE), 0, 'at the centre');

  // Each retune takes over where the sway passes its centre: the pan turns, never steps.
  const widthPerFrame = (4 * 0.48) / (36 * RATE);
  assert.ok(largestFrameStep(voice!, 400) <= widthPerFrame * 1.0001, `largest step ${largestFrameStep(voice!, 400)}`);
  assert.equal(voice!.panSway?.changes?.length, 2);
});

test('a gale easing to a breeze narrows the sway at its next pass through the centre; a small change leaves it be', async () => {
  const { bus, composer } = setUp(textureScore(), textures);
  await bus.publish('weather.observed', observation(0, { cover: 0.9, windMs: 14 }));
  const [voice] = composer.voicesIn(0, RATE).filter((each) => each.layer === 'middle');
  await bus.publish('weather.observed', observation(50, { cover: 0.9, windMs: 14.3 }));
  assert.equal(voice!.panSway?.changes, undefined, 'a small change of wind changes nothing');

  await bus.publish('weather.observed', observation(50, { cover: 0.9, windMs: 4 }));
  const change = voice!.panSway!.changes![0]!;
  assert.ok(change.fromFrame >= 50 * RATE && change.fromFrame < 50 * RATE + 16 * RATE, `retuned within half a 32 s period: ${change.fromFrame / RATE} s`);
  assert.ok(Math.abs(panAt(voice!, change.fromFrame)) < 1e-9, 'at the centre where it takes over');
  assert.ok(Math.abs(Math.abs(change.width) - 0.16) < 1e-9);
  assert.ok(largestFrameStep(voice!, 200) < (4 * 0.5) / (32 * RATE) * 1.0001);
});

test('rendered, a flock crossing from left to right is heard on the left at first and on the right at the end', async () => {
  const { bus, composer } = setUp(accentScore(), accentStems);
  await bus.publish('flock.started', flock(0, 12, 0.05, 0, 0.1));
  const voices = composer.voicesIn(0, 20 * RATE);
  assert.equal(voices.length, 4);

  // Every flock stem as the same ten seconds of seeded noise in both channels: only the pan
  // sets the balance, and the voices' 35 ms offsets add their power without combing.
  const length = 10 * RATE;
  const buffer = new AudioBuffer({ numberOfChannels: 2, length, sampleRate: RATE });
  let seed = 12345;
  const noise = new Float32Array(length).map(() => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5) * 0.4);
  buffer.copyToChannel(noise, 0);
  buffer.copyToChannel(noise, 1);
  const renderer = new ChunkRenderer({ sampleRate: RATE, masterGain: 1, limiterCeilingDb: null, stem: () => ({ buffer, loop: false, trim: 1 }) });
  const chunk = await renderer.render(0, 11 * RATE, voices);
  const level = (channel: Float32Array, second: number) => rms({ sampleRate: RATE, left: channel, right: channel }, second * RATE, (second + 0.5) * RATE);

  assert.ok(level(chunk.left, 0.25) > 3 * level(chunk.right, 0.25), `at 0.25 s: left ${level(chunk.left, 0.25)}, right ${level(chunk.right, 0.25)}`);
  assert.ok(level(chunk.right, 9.25) > 3 * level(chunk.left, 9.25), `at 9.25 s: left ${level(chunk.left, 9.25)}, right ${level(chunk.right, 9.25)}`);
  const audio = { sampleRate: RATE, left: chunk.left, right: chunk.right };
  for (const second of [2, 4, 6, 8]) assert.ok(clickAt(audio, second * RATE).clean, `no step at ${second} s`);
});

test('a rule asking for more voices than the flock\'s size gives them all, spread to both sides and within the field', async () => {
  const score = scoreOf({ fine: '    - { when: { event: flock }, tags: [flock], maxVoices: 6 }' });
  const { bus, composer } = setUp(score, accentStems);
  await bus.publish('flock.started', flock(1, 2, 0.5, 0, 0.05));
  const voices = composer.voicesIn(0, 60 * RATE).filter((voice) => voice.layer === 'fine');
  assert.equal(voices.length, 6);
  const starts = voices.map((voice) => panAt(voice, voice.startFrame));
  assert.deepEqual(starts.map((pan) => Math.round(pan * 100) / 100), [0, -0.12, 0.12, -0.24, 0.24, -0.36]);
  assert.ok(voices.every((voice, index) => index === 0 || voice.gain < voices[index - 1]!.gain));
});
