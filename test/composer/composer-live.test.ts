import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventBus } from '../../src/bus/bus.js';
import { stemManifestSchema } from '../../src/audio/stem-manifest.js';
import { Composer } from '../../src/composer/composer.js';
import { loadScore } from '../../src/composer/score-load.js';
import { silentLogger } from '../../src/log.js';
import { Timeline } from '../../src/time/timeline.js';
import { REPO_DIR } from '../support/paths.js';

const RATE = 48_000;
const START = Date.parse('2026-06-01T12:00:00Z');
const manifest = stemManifestSchema.parse(JSON.parse(readFileSync(join(REPO_DIR, 'samples/stems/manifest.json'), 'utf8')));
const stems = manifest.stems.map((info) => ({ info, durationFrames: 10 * RATE }));

function setUp(keepEntries?: number) {
  const bus = new EventBus(silentLogger());
  const composer = new Composer({
    timeline: new Timeline(START, 1, RATE),
    stems,
    seed: 3,
    accentLatencyS: 0.25,
    score: loadScore(),
    log: silentLogger(),
    keepEntries,
  });
  composer.follow(bus);
  return { bus, composer };
}

const flock = (at: number, x: number) => ({
  at, frameId: 'cam#7', flockId: 'flock-1', size: 6, centroid: { x, y: 0.3 }, headingDeg: 0, speed: 0.1,
});

test('a flock is answered by a flock accent, panned to where it is', async () => {
  const { bus, composer } = setUp();
  await bus.publish('flock.started', flock(START + 10_000, 0.9));

  const [entry] = composer.entries.filter((each) => each.layer === 'fine');
  const flockStems = manifest.stems.filter((info) => info.tags.includes('flock')).map((info) => info.id);
  assert.ok(entry && flockStems.includes(entry.stemId), `${entry?.stemId} is not a flock accent`);
  assert.equal(entry.frame, (10 + 0.25) * RATE);
  const [voice] = composer.voicesIn(entry.frame, 1).filter((each) => each.layer === 'fine');
  assert.ok(voice && Math.abs(voice.pan - 0.8) < 1e-9, 'x 0.9 pans right');
});

test('live, an event older than the audio already rendered lands at the first frame still to come', async () => {
  const { bus, composer } = setUp();
  const rendered = 12 * RATE;
  composer.holdFrom(rendered);

  await bus.publish('flock.started', flock(START + 10_000, 0.5));
  const [entry] = composer.entries.filter((each) => each.layer === 'fine');
  assert.equal(entry?.frame, rendered, 'not at 10.25 s, inside audio already out');

  composer.holdFrom(rendered - RATE);
  await bus.publish('flock.started', { ...flock(START + 20_000, 0.5), flockId: 'flock-2' });
  const second = composer.entries.find((each) => each.layer === 'fine' && each.reason.includes('flock-2'));
  assert.equal(second?.frame, 20.25 * RATE, 'the floor never moves back');
});

test('a live composer keeps a bounded plan log', async () => {
  const { bus, composer } = setUp(5);
  for (let index = 0; index < 20; index++) await bus.publish('flock.started', { ...flock(START + index * 10_000, 0.5), flockId: `f${index}` });
  assert.equal(composer.entries.length, 5);
  assert.match(composer.entries.at(-1)!.reason, /f19/);
});
