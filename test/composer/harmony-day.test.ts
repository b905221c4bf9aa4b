import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderDay } from '../../src/app/render.js';
import type { StemManifest } from '../../src/audio/stem-manifest.js';
import type { ChoosableStem, PlanEntry } from '../../src/composer/composer.js';
import type { KeyMove } from '../../src/composer/harmony.js';
import { keyName, keyOfStem, type Key } from '../../src/composer/keys.js';
import { loadConfig } from '../../src/config/load.js';
import { SeededRandom } from '../../src/composer/random.js';
import { silentLogger } from '../../src/log.js';
import { buildBrugesDay } from '../../tools/make-test-days.js';
import { REPO_DIR, SHARED_DIR } from '../support/paths.js';
import { activeAfter, at, keyed, signaturesOf } from './harmony-support.js';
import { observation, RATE, scoreOf, setUp } from './score-support.js';

const SPEED = 480;
let plan: PlanEntry[];
let keys: KeyMove[];
let pack: ChoosableStem[];

before(async () => {
  const outDir = await mkdtemp(join(tmpdir(), 'skychoir-harmony-'));
  const dayDir = await buildBrugesDay(outDir);
  const config = loadConfig({ sets: [`vision.modelDir=${join(SHARED_DIR, 'models')}`, `audio.stemsDir=${join(REPO_DIR, 'samples/stems')}`] });
  const outPath = join(outDir, 'day.wav');
  await renderDay({ config, dayDir, outPath, speed: SPEED, logPath: `${outPath}.json`, log: silentLogger() });
  ({ plan, keys } = JSON.parse(await readFile(`${outPath}.json`, 'utf8')) as { plan: PlanEntry[]; keys: KeyMove[] });
  const manifest = JSON.parse(await readFile(join(REPO_DIR, 'samples/stems/manifest.json'), 'utf8')) as StemManifest;
  pack = manifest.stems.map((info) => ({ info, durationFrames: 1 }));
});

const keyOf = (id: string): Key | null => keyOfStem(pack.find((stem) => stem.info.id === id)!.info);
const keyAt = (frame: number): string | null => keys.filter((move) => move.frame <= frame).at(-1)?.to ?? null;

test('the Bruges day: the key is B minor at night, D major from dawn, B minor while the pressure falls by day, B minor again at night', () => {
  assert.deepEqual(keys.map((move) => [move.at.slice(11, 16), move.from, move.to]), [
    ['22:00', null, 'B minor'],
    ['03:27', 'B minor', 'D major'],
    ['14:00', 'D major', 'B minor'],
    ['18:00', 'B minor', 'D major'],
    ['22:00', 'D major', 'B minor'],
  ]);
  assert.deepEqual(keys.map((move) => move.why), [
    'coarse rule 1 ("night") asks for dark',
    'coarse rule 2 ("dawn") asks for bright',
    'coarse rule 4 ("day, pressure falling") asks for dark',
    'pressure rises',
    'coarse rule 1 ("night") asks for dark',
  ]);
  assert.ok(keys.every((move) => move.relation === 'relative' || move.relation === 'first'));
});

test('the Bruges day: the key moves only where the coarse layer changes, and each move is in the coarse start\'s reason', () => {
  for (const move of keys) {
    const coarseStarts = plan.filter((entry) => entry.layer === 'coarse' && entry.action === 'start' && entry.frame === move.frame);
    assert.ok(coarseStarts.length > 0, `key move at ${move.at} without a coarse change`);
    for (const entry of coarseStarts) assert.ok(entry.reason.includes(move.to), entry.reason);
  }
});

test('the Bruges day: every coarse stem is in the key; middle and fine in it or its relative, the relative with a reason', () => {
  for (const entry of plan.filter((e) => e.action === 'start')) {
    const own = keyOf(entry.stemId);
    const current = keyAt(entry.frame);
    if (!own || !current) continue;
    if (entry.layer === 'coarse' || keyName(own) === current) {
      assert.equal(keyName(own), current, `${entry.stemId} at ${entry.at}`);
    } else {
      assert.match(entry.reason, new RegExp(`is in ${current}: ${keyName(own)} shares its notes`), `${entry.stemId} at ${entry.at}`);
    }
  }
  for (const entry of plan) {
    const sounding = signaturesOf(activeAfter(plan, entry.frame, pack, 0), pack);
    assert.ok(sounding.size <= 1, `two key signatures at ${entry.at}`);
  }
});

/** A pack in five keys round D major, with unpitched textures. */
const WIDE_PACK = [
  keyed('night-bm', 'coarse', 'B minor', ['night']),
  keyed('night-em', 'coarse', 'E minor', ['night']),
  keyed('night-d', 'coarse', 'D major', ['night']),
  keyed('dawn-d', 'coarse', 'D major', ['dawn']),
  keyed('dawn-g', 'coarse', 'G major', ['dawn']),
  keyed('day-a', 'coarse', 'A major', ['day']),
  keyed('day-d', 'coarse', 'D major', ['day']),
  keyed('day-fsm', 'coarse', 'F# minor', ['day']),
  keyed('storm-eb', 'coarse', 'Eb major', ['storm']),
  keyed('storm-em', 'coarse', 'E minor', ['storm']),
  keyed('rain-d', 'middle', 'D major', ['rain']),
  keyed('rain-em', 'middle', 'E minor', ['rain']),
  keyed('rain-noise', 'middle', null, ['rain']),
  keyed('clear-a', 'middle', 'A major', ['clear']),
  keyed('clear-bm', 'middle', 'B minor', ['clear']),
  keyed('clear-g', 'middle', 'G major', ['clear']),
  keyed('grey-fsm', 'middle', 'F# minor', ['grey']),
  keyed('bird-d', 'fine', 'D major', ['bird']),
  keyed('bird-a', 'fine', 'A major', ['bird']),
  keyed('bird-em', 'fine', 'E minor', ['bird']),
  keyed('bird-eb', 'fine', 'Eb major', ['bird']),
];
const WIDE_SCORE = scoreOf(
  {
    coarse: [
      '    - { when: { pressureTrend: falling, precipitating: true }, tags: [storm] }',
      '    - { when: { sunPhase: [night, dusk] }, tags: [night] }',
      '    - { when: { sunPhase: [dawn, sunrise] }, tags: [dawn] }',
      '    - { tags: [day] }',
    ].join('\n'),
    middle: ['    - { when: { precipitating: true }, tags: [rain] }', '    - { when: { coverAtLeast: 0.6 }, tags: [grey] }', '    - { tags: [clear] }'].join('\n'),
    fine: '    - { when: { event: bird }, tags: [bird], maxVoices: 2 }',
  },
  '{ gain: 0.5, fadeS: 2, maxVoices: 2, minHoldS: 20, repeatWindowS: 0 }',
);
const PHASES = ['night', 'dawn', 'sunrise', 'day', 'golden', 'sunset', 'dusk'] as const;
const TRENDS = ['rising', 'falling-quickly', 'steady'] as const;

/** Two hours of random sky events (sun, pressure, rain, cover, birds) drawn from `seed`. */
async function randomDay(seed: number) {
  const random = new SeededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random.next() * list.length)]!;
  const { bus, composer } = setUp(WIDE_SCORE, WIDE_PACK);
  for (let seconds = 0; seconds < 7200; seconds += Math.ceil(random.next() * 90)) {
    const roll = random.next();
    if (roll < 0.2) await bus.publish('sun.phase.changed', { at: at(seconds), phase: pick(PHASES), previous: null, elevationDeg: 0 });
    else if (roll < 0.35) await bus.publish('pressure.trend.changed', { at: at(seconds), tendency: pick(TRENDS), deltaHpa3h: 0, previous: null });
    else if (roll < 0.45) await bus.publish('precipitation.started', { at: at(seconds), kind: 'rain', rateMmPerHour: 1 });
    else if (roll < 0.55) await bus.publish('precipitation.stopped', { at: at(seconds) });
    else if (roll < 0.75) await bus.publish('weather.observed', observation(seconds, { cover: random.next() }));
    else await bus.publish('bird.seen', { at: at(seconds), frameId: `f${seconds}`, count: 1, detections: [] });
  }
  return composer;
}

test('300 random skies over a pack in five keys: at every decision the stems sounding share one key signature; keys move only at coarse changes, to related keys', async () => {
  let moves = 0;
  let unrelated = 0;
  for (let seed = 1; seed <= 300; seed++) {
    const composer = await randomDay(seed);
    const { entries } = composer;
    for (const entry of entries) {
      const ids = activeAfter(entries, entry.frame, WIDE_PACK, 2 * RATE);
      assert.ok(signaturesOf(ids, WIDE_PACK).size <= 1, `seed ${seed}: ${ids.join(', ')} at ${entry.frame}`);
    }
    for (const move of composer.harmony.moves) {
      moves++;
      // Only the first key may be set by a texture or an accent that starts before any bed.
      if (move.by !== 'coarse') assert.equal(move.from, null, `seed ${seed}: the ${move.by} layer moved the key`);
      else assert.ok(entries.some((e) => e.layer === 'coarse' && e.action === 'start' && e.frame === move.frame), `seed ${seed}: move without a coarse start`);
      if (!['first', 'relative', 'dominant', 'subdominant'].includes(move.relation)) unrelated++;
    }
  }
  assert.ok(moves > 600, `only ${moves} key moves`);
  // The only unrelated key is the storm's Eb major when E minor is more than a fifth away.
  assert.ok(unrelated < moves / 20, `${unrelated} of ${moves} moves to unrelated keys`);
});

test('the same events and seed give the same plan and the same key moves', async () => {
  const first = await randomDay(7);
  const again = await randomDay(7);
  assert.ok(first.harmony.moves.length >= 3);
  assert.deepEqual(again.entries, first.entries);
  assert.deepEqual(again.harmony.moves, first.harmony.moves);
});
