import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyFrom } from '../../src/app/live-status.js';
import type { PlanEntry } from '../../src/composer/composer.js';
import { fifthsDistance, relationOf, sameKey, shareNotes, type Key } from '../../src/composer/keys.js';
import { parseScore, ScoreError } from '../../src/composer/score-load.js';
import { memoryLogger } from '../support/logs.js';
import { at, keyed } from './harmony-support.js';
import { observation, RATE, scoreOf, setUp } from './score-support.js';

const key = (name: string): Key => {
  const [tonic, mode] = name.split(' ');
  return { tonic: tonic!, mode: mode as Key['mode'] };
};
const starts = (entries: PlanEntry[], layer: PlanEntry['layer']) => entries.filter((e) => e.layer === layer && e.action === 'start');
const sun = (seconds: number, phase: 'night' | 'dawn' | 'day' | 'golden') => ({ at: at(seconds), phase, previous: null, elevationDeg: 0 });
const pressure = (seconds: number, tendency: 'falling-quickly' | 'rising' | 'steady') => ({ at: at(seconds), tendency, deltaHpa3h: 0, previous: null });

test('keys: relatives share their notes, dominant and subdominant are one fifth away, enharmonics are one key', () => {
  assert.equal(fifthsDistance(key('D major'), key('B minor')), 0);
  assert.ok(shareNotes(key('D major'), key('B minor')));
  assert.ok(!sameKey(key('D major'), key('B minor')));
  assert.equal(relationOf(key('D major'), key('B minor')), 'relative');
  assert.equal(relationOf(key('D major'), key('A major')), 'dominant');
  assert.equal(relationOf(key('D major'), key('G major')), 'subdominant');
  assert.equal(relationOf(key('D major'), key('F# minor')), 'dominant'); // A major's relative
  assert.equal(fifthsDistance(key('D major'), key('E major')), 2);
  assert.equal(fifthsDistance(key('D major'), key('Ab major')), 6);
  assert.equal(fifthsDistance(key('E dorian'), key('D major')), 0);
  assert.ok(sameKey(key('F# minor'), key('Gb minor')));
});

/** A night bed and a morning bed, each offered in D major and in B minor. */
const BEDS = [
  keyed('night-d', 'coarse', 'D major', ['night']),
  keyed('night-bm', 'coarse', 'B minor', ['night']),
  keyed('morning-d', 'coarse', 'D major', ['morning']),
  keyed('morning-bm', 'coarse', 'B minor', ['morning']),
];
const BED_RULES = ['    - { when: { sunPhase: night }, tags: [night] }', '    - { tags: [morning] }'].join('\n');

test('night falling chooses the minor relative, dawn the major one; the move is a plan reason, a log line and the status key', async () => {
  const { log, lines } = memoryLogger();
  const { bus, composer } = setUp(scoreOf({ coarse: BED_RULES }), BEDS, { log });

  await bus.publish('sun.phase.changed', sun(0, 'dawn'));
  await bus.publish('sun.phase.changed', sun(60, 'night'));
  await bus.publish('sun.phase.changed', sun(120, 'dawn'));

  assert.deepEqual(starts(composer.entries, 'coarse').map((e) => e.stemId), ['morning-d', 'night-bm', 'morning-d']);
  assert.match(starts(composer.entries, 'coarse')[1]!.reason, /key moves D major → B minor \(relative\): night falls$/);
  assert.deepEqual(composer.harmony.moves.map((m) => [m.frame / RATE, m.from, m.to, m.why]), [
    [0, null, 'D major', 'dawn breaks'],
    [60, 'D major', 'B minor', 'night falls'],
    [120, 'B minor', 'D major', 'dawn breaks'],
  ]);
  assert.deepEqual(keyFrom(composer.harmony.moves), { name: 'D major', since: new Date(at(120)).toISOString(), why: 'dawn breaks' });
  assert.equal(keyFrom(composer.harmony.moves, 90 * RATE)?.name, 'B minor', 'the key sounding at 90 s');
  assert.equal(keyFrom([]), null);
  const logged = lines.filter((line) => line.msg === 'key moves');
  assert.deepEqual(logged.map((line) => [line.from, line.to, line.brightness]), [['D major', 'B minor', 'dark'], ['B minor', 'D major', 'bright']]);
});

test('falling pressure darkens and rising pressure brightens the key at a coarse change, over the sun phase', async () => {
  const score = scoreOf({ coarse: ['    - { when: { pressureTrend: falling }, tags: [night] }', '    - { tags: [morning] }'].join('\n') });
  const { bus, composer } = setUp(score, BEDS);

  await bus.publish('sun.phase.changed', sun(0, 'day'));
  await bus.publish('pressure.trend.changed', pressure(10, 'falling-quickly'));
  await bus.publish('pressure.trend.changed', pressure(20, 'rising'));

  assert.deepEqual(composer.harmony.moves.map((m) => [m.to, m.why]), [['D major', 'daylight'], ['B minor', 'pressure falls'], ['D major', 'pressure rises']]);
});

test('a coarse rule\'s brightness wins over the world, and only coarse rules may give one', async () => {
  const score = scoreOf({ coarse: '    - { tags: [morning], brightness: dark }' });
  const { bus, composer } = setUp(score, BEDS);
  await bus.publish('sun.phase.changed', sun(0, 'dawn'));
  assert.deepEqual(starts(composer.entries, 'coarse').map((e) => e.stemId), ['morning-bm']);
  assert.match(composer.entries[0]!.reason, /key B minor: coarse rule 1 asks for dark/);

  const text = scoreOf({}).source; // the helper's file name
  assert.throws(
    () => parseScore('coarse: { defaults: { gain: 1, fadeS: 1, maxVoices: 1, minHoldS: 0, repeatWindowS: 0 }, rules: [] }\nmiddle: { defaults: { gain: 1, fadeS: 1, maxVoices: 1, minHoldS: 0, repeatWindowS: 0 }, rules: [{ tags: [a], brightness: dark }] }\nfine: { defaults: { gain: 1, fadeS: 1, maxVoices: 1, minHoldS: 0, repeatWindowS: 0 }, rules: [] }\n', text),
    (error: unknown) => error instanceof ScoreError && /middle rule 1: brightness: only coarse rules set the key centre/.test(error.message),
  );
  assert.throws(() => scoreOf({ coarse: '    - { tags: [a], brightness: dim }' }), /coarse rule 1: brightness: Invalid option/);
});

test('the key moves only when the coarse layer changes: a new pressure trend under the same bed keeps it', async () => {
  const { bus, composer } = setUp(scoreOf({ coarse: '    - { tags: [night] }' }), BEDS);
  await bus.publish('sun.phase.changed', sun(0, 'night'));
  await bus.publish('pressure.trend.changed', pressure(10, 'rising'));
  await bus.publish('sun.phase.changed', sun(20, 'dawn'));
  await bus.publish('pressure.trend.changed', pressure(30, 'falling-quickly'));

  assert.deepEqual(composer.harmony.moves.map((m) => m.to), ['B minor']);
  assert.deepEqual(starts(composer.entries, 'coarse').map((e) => e.stemId), ['night-bm']);
});

test('middle and fine stems follow the key; with none in it, the relative plays, and the reason and the log say why', async () => {
  const { log, lines } = memoryLogger();
  const stems = [
    ...BEDS,
    keyed('drizzle-d', 'middle', 'D major', ['drizzle']),
    keyed('clear-d', 'middle', 'D major', ['clear']),
    keyed('clear-bm', 'middle', 'B minor', ['clear']),
    keyed('call-d', 'fine', 'D major', ['bird']),
    keyed('call-bm', 'fine', 'B minor', ['bird']),
  ];
  const score = scoreOf({
    coarse: BED_RULES,
    middle: ['    - { when: { precipitating: true }, tags: [drizzle] }', '    - { tags: [clear] }'].join('\n'),
    fine: '    - { when: { event: bird }, tags: [bird] }',
  });
  const { bus, composer } = setUp(score, stems, { log });

  await bus.publish('sun.phase.changed', sun(0, 'night'));
  await bus.publish('bird.seen', { at: at(5), frameId: 'f1', count: 1, detections: [] });
  await bus.publish('precipitation.started', { at: at(20), kind: 'drizzle', rateMmPerHour: 0.3 });

  assert.deepEqual(starts(composer.entries, 'middle').map((e) => e.stemId), ['clear-bm', 'drizzle-d']);
  assert.deepEqual(starts(composer.entries, 'fine').map((e) => e.stemId), ['call-bm']);
  assert.match(starts(composer.entries, 'middle')[1]!.reason, /no "drizzle" stem of the middle layer is in B minor: D major shares its notes/);
  const fallback = lines.find((line) => line.msg === 'key fallback: a relative shares its notes');
  assert.deepEqual([fallback?.layer, fallback?.tag, fallback?.key, fallback?.fallback], ['middle', 'drizzle', 'B minor', 'D major']);
});

test('a stem in no related key is left out and the layer rests (logged); unpitched stems are always free', async () => {
  const { log, lines } = memoryLogger();
  const stems = [...BEDS, keyed('drizzle-e', 'middle', 'E major', ['drizzle']), keyed('rain-noise', 'middle', null, ['rain'])];
  const score = scoreOf({ coarse: BED_RULES, middle: '    - { when: { precipitating: true }, tags: [drizzle] }\n    - { when: { foggy: true }, tags: [rain] }' });
  const { bus, composer } = setUp(score, stems, { log });

  await bus.publish('sun.phase.changed', sun(0, 'night'));
  await bus.publish('precipitation.started', { at: at(10), kind: 'drizzle', rateMmPerHour: 0.3 });
  assert.deepEqual(starts(composer.entries, 'middle'), []);
  assert.ok(lines.some((line) => line.msg === 'key leaves out every pitched candidate' && line.tag === 'drizzle'));

  await bus.publish('precipitation.stopped', { at: at(20) });
  await bus.publish('fog.formed', { at: at(30), visibilityM: 200, wmoCode: null });
  assert.deepEqual(starts(composer.entries, 'middle').map((e) => e.stemId), ['rain-noise']);
});

test('when the key moves away from their notes, middle and fine voices cross-fade at once, whatever the hold', async () => {
  const stems = [
    keyed('high-a', 'coarse', 'A major', ['high']),
    keyed('low-d', 'coarse', 'D major', ['low']),
    keyed('clear-a', 'middle', 'A major', ['clear']),
    keyed('clear-d', 'middle', 'D major', ['clear']),
    keyed('call-a', 'fine', 'A major', ['bird']),
  ];
  const score = scoreOf({
    coarse: '    - { when: { pressureTrend: falling }, tags: [low] }\n    - { tags: [high] }',
    middle: '    - { tags: [clear], minHoldS: 600 }',
    fine: '    - { when: { event: bird }, tags: [bird] }',
  });
  const { bus, composer } = setUp(score, stems);

  await bus.publish('weather.observed', observation(0));
  await bus.publish('bird.seen', { at: at(1), frameId: 'f1', count: 1, detections: [] });
  await bus.publish('pressure.trend.changed', pressure(5, 'falling-quickly'));

  const rows = composer.entries.map((e) => [e.frame / RATE, e.layer, e.action, e.stemId]);
  assert.deepEqual(rows, [
    [0, 'coarse', 'start', 'high-a'],
    [0, 'middle', 'start', 'clear-a'],
    [1, 'fine', 'start', 'call-a'],
    [5, 'fine', 'stop', 'call-a'],
    [5, 'coarse', 'stop', 'high-a'],
    [5, 'coarse', 'start', 'low-d'],
    [5, 'middle', 'stop', 'clear-a'],
    [5, 'middle', 'start', 'clear-d'],
  ]);
  assert.deepEqual(composer.harmony.moves.at(-1), {
    frame: 5 * RATE,
    at: new Date(at(5)).toISOString(),
    from: 'A major',
    to: 'D major',
    relation: 'subdominant',
    why: 'pressure falls, but only D major is offered',
    by: 'coarse',
  });
  assert.match(composer.entries[6]!.reason, /^middle moves to "clear" in D major$/);
});

test('a bed offered only in an unrelated key is still played: the key jumps to the nearest, logged', async () => {
  const { log, lines } = memoryLogger();
  const stems = [keyed('bed-d', 'coarse', 'D major', ['day']), keyed('bed-eb', 'coarse', 'Eb major', ['night']), keyed('bed-ab', 'coarse', 'Ab major', ['night'])];
  const { bus, composer } = setUp(scoreOf({ coarse: BED_RULES.replace('morning', 'day') }), stems, { log });

  await bus.publish('sun.phase.changed', sun(0, 'day'));
  await bus.publish('sun.phase.changed', sun(10, 'night'));

  assert.deepEqual(starts(composer.entries, 'coarse').map((e) => e.stemId), ['bed-d', 'bed-eb']);
  assert.equal(composer.harmony.moves.at(-1)!.why, 'night falls, but only Eb major is offered; no related key offered, the nearest is 5 fifths away');
  assert.ok(lines.some((line) => line.msg === 'key moves' && line.to === 'Eb major'));
});
