import { test } from 'node:test';
import assert from 'node:assert/strict';
import { densityAt, voicesFor } from '../../src/composer/density.js';
import { parseScore } from '../../src/composer/score-load.js';
import { RATE, observation, playing, scoreOf, setUp, stem } from './score-support.js';

const score = () => scoreOf({ middle: '    - { name: cloud, when: { coverAtLeast: 0.2 }, tags: [cloud], maxVoices: 3, voicesPerCover: 3 }' });
const stems = [stem('hum', 'middle', ['cloud']), stem('drone', 'middle', ['cloud']), stem('mist', 'middle', ['cloud'])];

test('voices follow cover: 1 + floor(voicesPerCover × cover), 1 at least, maxVoices at most; without it, maxVoices', () => {
  const settings = { maxVoices: 3, voicesPerCover: 3 };
  assert.deepEqual([0, 0.3, 0.34, 0.4, 0.67, 0.95, 1].map((cover) => voicesFor(settings, cover)), [1, 1, 2, 2, 3, 3, 3]);
  assert.equal(voicesFor(settings, null), 2, 'unknown cover is taken as half a sky');
  assert.equal(voicesFor({ maxVoices: 2 }, 0), 2);
  assert.equal(densityAt(settings, 0.35, 1), 1, 'just past the step: not yet');
  assert.equal(densityAt(settings, 0.4, 1), 2);
  assert.equal(densityAt(settings, 0.3, 2), 2, 'just below it: not yet');
  assert.equal(densityAt(settings, 0.25, 2), 1);
});

test('under more cloud the layer thickens, under less it thins, each voice fading in or out over the rule\'s fade', async () => {
  const { bus, composer } = setUp(score(), stems);
  await bus.publish('weather.observed', observation(0, { cover: 0.3 }));
  assert.equal(playing(composer, 1).middle.length, 1);

  await bus.publish('weather.observed', observation(60, { cover: 0.95 }));
  assert.equal(playing(composer, 61).middle.length, 3);
  const added = composer.entries.filter((entry) => entry.action === 'start' && entry.frame === 60 * RATE);
  assert.equal(added.length, 2);
  assert.match(added[0]!.reason, /^middle thickens to 3 voices under 95% cloud, by middle rule 1 \("cloud"\)$/);
  const fresh = composer.voicesIn(60 * RATE, 1).filter((voice) => voice.startFrame === 60 * RATE);
  assert.ok(fresh.every((voice) => voice.fadeInFrames === RATE), 'each fades in over the 1 s fade');

  await bus.publish('weather.observed', observation(120, { cover: 0.4 }));
  const stopped = composer.entries.filter((entry) => entry.action === 'stop');
  assert.equal(stopped.length, 1);
  assert.match(stopped[0]!.reason, /thins to 2 voices under 40% cloud/);
  assert.equal(playing(composer, 125).middle.length, 2);
  const leaving = composer.voicesIn(120 * RATE, 1).find((voice) => voice.id === stopped[0]!.voiceId)!;
  assert.equal(leaving.fadeOutFrames, RATE, 'it fades out, no step');
});

test('a score without voicesPerCover plays maxVoices as before', async () => {
  const plain = scoreOf({ middle: '    - { when: { coverAtLeast: 0.2 }, tags: [cloud], maxVoices: 2 }' });
  const { bus, composer } = setUp(plain, stems);
  await bus.publish('weather.observed', observation(0, { cover: 0.3 }));
  await bus.publish('weather.observed', observation(60, { cover: 0.95 }));
  assert.equal(playing(composer, 61).middle.length, 2);
  assert.equal(composer.entries.length, 2);
});

test('voicesPerCover is checked: a number 0..8, in defaults or a rule', () => {
  assert.throws(() => scoreOf({ middle: '    - { tags: [cloud], voicesPerCover: 9 }' }), /voicesPerCover/);
  assert.throws(() => scoreOf({ middle: '    - { tags: [cloud], voicesPerCover: many }' }), /voicesPerCover/);
  const text = ['coarse', 'middle', 'fine'].map((layer) => `${layer}:\n  defaults: { gain: 0.5, fadeS: 1, maxVoices: 2, minHoldS: 0, repeatWindowS: 0, voicesPerCover: 1.5 }\n  rules: [{ tags: [x] }]`).join('\n');
  assert.equal(parseScore(text, 'density.yaml').layers.middle.rules[0]!.voicesPerCover, 1.5, 'a rule takes it from its defaults');
});
