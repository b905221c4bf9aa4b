import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBus } from '../../src/bus/bus.js';
import { Composer } from '../../src/composer/composer.js';
import { SkyProminence } from '../../src/composer/prominence.js';
import { SkyMemory, type SkyMemoryData } from '../../src/composer/sky-memory.js';
import { silentLogger } from '../../src/log.js';
import { Timeline } from '../../src/time/timeline.js';
import { memoryLogger } from '../support/logs.js';
import { RATE, START, scoreOf, stem } from './score-support.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ACCENT_DB = 4;
const MIDDLE_DB = 2;
const BASE_GAIN = 0.5;

const score = scoreOf({
  middle: '    - { name: rain, when: { precipitating: true }, tags: [rain] }',
  fine: '    - { name: flock, when: { event: flock }, tags: [flock], minHoldS: 0 }\n    - { name: bird, when: { event: bird }, tags: [bird], minHoldS: 0 }',
});
const stems = [stem('rain-a', 'middle', ['rain']), stem('flock-a', 'fine', ['flock']), stem('bird-a', 'fine', ['bird'])];

/** A memory of 30 summer days before START, watched hour by hour, with `flocksAt(hour)` flocks each hour. */
function trained(flocksAt: (hour: number) => number): SkyMemoryData {
  const sky = new SkyMemory({ timeZone: 'UTC', seasonAt: () => 'summer' });
  const from = START - 12 * HOUR - 30 * DAY;
  for (let day = 0; day < 30; day++) {
    for (let hour = 0; hour < 24; hour++) {
      const at = from + day * DAY + hour * HOUR;
      sky.pass(at);
      for (let index = 0; index < flocksAt(hour); index++) sky.observe('flock', at + (index + 1) * 60_000);
    }
  }
  return sky.snapshot();
}

/** A composer judging by `data` (null: a composer without any memory, playing the score's gains as written). */
function setUp(data?: SkyMemoryData | null, log = silentLogger()) {
  const bus = new EventBus(silentLogger());
  const memory = new SkyMemory({ timeZone: 'UTC', seasonAt: () => 'summer', data: data ?? undefined });
  const prominence = data === null ? undefined : new SkyProminence(memory, { accentDb: ACCENT_DB, middleDb: MIDDLE_DB }, log);
  const composer = new Composer({ timeline: new Timeline(START, 1, RATE), stems, seed: 5, accentLatencyS: 0, score, log, prominence });
  composer.follow(bus);
  return { bus, composer };
}

const flock = (atS: number, size = 7) => ({
  at: START + atS * 1000, frameId: `cam#${atS}`, flockId: `flock-${atS}`, size, centroid: { x: 0.5, y: 0.3 }, headingDeg: 0, speed: 0.1,
});

/** Each accent voice started: the flock it answers and its gain. */
function accentVoices(composer: Composer): Array<{ flock: string; gain: number }> {
  return composer.entries
    .filter((entry) => entry.layer === 'fine' && entry.action === 'start')
    .map((entry) => ({
      flock: /\((flock-\d+)\)/.exec(entry.reason)?.[1] ?? '',
      gain: composer.voicesIn(entry.frame, 1).find((voice) => voice.id === entry.voiceId)!.gain,
    }));
}

/** The flocks' accents with a memory over the same without one: one linear gain ratio per voice. */
async function boosts(data: SkyMemoryData | undefined, publish: (bus: EventBus) => Promise<void>): Promise<Array<{ flock: string; ratio: number }>> {
  const judged = setUp(data);
  const plain = setUp(null);
  await publish(judged.bus);
  await publish(plain.bus);
  const plainVoices = accentVoices(plain.composer);
  const voices = accentVoices(judged.composer);
  // Voice by voice of each flock (a rare flock's voice more has no counterpart and is left out).
  return plainVoices.map((plainVoice) => {
    const nth = plainVoices.filter((each) => each.flock === plainVoice.flock).indexOf(plainVoice);
    const voice = voices.filter((each) => each.flock === plainVoice.flock)[nth]!;
    return { flock: plainVoice.flock, ratio: voice.gain / plainVoice.gain };
  });
}

const TOP = 10 ** (ACCENT_DB / 20);

test('a flock at an hour where flocks never come is louder than one at an hour where they always do, within +0..4 dB', async () => {
  const boostDb: Record<string, number> = {};
  for (const [name, data] of [['usual', trained((hour) => (hour === 12 ? 4 : 0))], ['never', trained((hour) => (hour === 7 ? 1 : 0))]] as const) {
    const { bus, composer } = setUp(data);
    await bus.publish('flock.started', flock(60));
    const reason = composer.entries.find((entry) => entry.layer === 'fine')!.reason;
    boostDb[name] = Number(/, \+(\d+\.\d) dB/.exec(reason)?.[1]);
    assert.ok(boostDb[name]! >= 0 && boostDb[name]! <= ACCENT_DB, reason);
  }
  assert.ok(boostDb.never! > boostDb.usual! + 1, `never +${boostDb.never} dB vs usual +${boostDb.usual} dB: more than 1 dB apart`);

  // The usual flock's voices are the plain ones, each louder by the boost the reason names.
  const voices = await boosts(trained((hour) => (hour === 12 ? 4 : 0)), (bus) => bus.publish('flock.started', flock(60)));
  assert.equal(voices.length, 3);
  for (const { ratio } of voices) assert.ok(Math.abs(20 * Math.log10(ratio) - boostDb.usual!) < 0.05, `x${ratio} vs +${boostDb.usual} dB`);
});

test('a rare flock sings with a voice more than its size gives; a usual one does not', async () => {
  const voicesOf = async (data: SkyMemoryData | null) => {
    const { bus, composer } = setUp(data);
    await bus.publish('flock.started', flock(60, 7));
    return accentVoices(composer);
  };
  const plain = await voicesOf(null);
  const rare = await voicesOf(trained((hour) => (hour === 7 ? 1 : 0)));
  const usual = await voicesOf(trained((hour) => (hour === 12 ? 4 : 0)));
  assert.equal(plain.length, 3, 'a flock of 7 has three voices');
  assert.equal(rare.length, 4);
  assert.equal(usual.length, 3);
  const reason = (await (async () => {
    const { bus, composer } = setUp(trained((hour) => (hour === 7 ? 1 : 0)));
    await bus.publish('flock.started', flock(60, 7));
    return composer.entries.find((entry) => entry.layer === 'fine')!.reason;
  })());
  assert.match(reason, /, rare at 12h in summer \(0\.\d\d\), first today, \+\d\.\d dB, a voice more, by fine rule 1/);
});

test('the first flock of the day is louder than the tenth, and the reason says how rare and which of the day', async () => {
  const tenFlocks = async (bus: EventBus) => {
    for (let index = 0; index < 10; index++) await bus.publish('flock.started', flock(60 + index * 20));
  };
  const voices = await boosts(undefined, tenFlocks);
  const first = voices.find((voice) => voice.flock === 'flock-60')!;
  const tenth = voices.find((voice) => voice.flock === 'flock-240')!;
  assert.ok(first.ratio > tenth.ratio * 10 ** (1 / 20), `first x${first.ratio}, tenth x${tenth.ratio}`);
  for (const { ratio } of voices) assert.ok(ratio >= 1 && ratio <= TOP);

  const { log, lines } = memoryLogger();
  const { bus, composer } = setUp(undefined, log);
  await tenFlocks(bus);

  const reasons = composer.entries.filter((entry) => entry.layer === 'fine').map((entry) => entry.reason);
  assert.match(reasons[0]!, /^a flock of 7 \(flock-60\) in frame cam#60.*, (rare|unusual|usual) at 12h in summer \(0\.\d\d\), first today, \+\d\.\d dB, by fine rule 1/);
  assert.match(reasons.at(-1)!, /\(flock-240\).*, 10th today, \+\d\.\d dB, by fine rule 1/);
  assert.ok(lines.some((line) => String(line.reason).includes('first today')), 'the decision is logged with its rarity');
});

test('a rare weather change lifts the texture it brings (within +0..2 dB) and holds it longer', async () => {
  const { bus, composer } = setUp();
  await bus.publish('precipitation.started', { at: START + 60_000, kind: 'rain', rateMmPerHour: 0.5 });
  const entry = composer.entries.find((each) => each.layer === 'middle' && each.action === 'start')!;
  const voice = composer.voicesIn(entry.frame, 1).find((each) => each.id === entry.voiceId)!;
  assert.ok(voice.gain > BASE_GAIN && voice.gain <= BASE_GAIN * 10 ** (MIDDLE_DB / 20), String(voice.gain));
  assert.match(entry.reason, /after a precipitation start (rare|unusual|usual) at 12h in summer \(0\.\d\d\), first today, \+\d\.\d dB, held x1\.\d\d$/);

  // Without a memory the composer plays the score's gain as written.
  const plain = new Composer({ timeline: new Timeline(START, 1, RATE), stems, seed: 5, accentLatencyS: 0, score, log: silentLogger() });
  const plainBus = new EventBus(silentLogger());
  plain.follow(plainBus);
  await plainBus.publish('precipitation.started', { at: START + 60_000, kind: 'rain', rateMmPerHour: 0.5 });
  assert.equal(plain.voicesIn(plain.entries[0]!.frame, 1)[0]!.gain, BASE_GAIN);
});

test('the same events, seed and memory give the same plan', async () => {
  const data = trained((hour) => (hour % 3 === 0 ? 1 : 0));
  const run = async () => {
    const { bus, composer } = setUp(data);
    await bus.publish('precipitation.started', { at: START + 30_000, kind: 'rain', rateMmPerHour: 0.5 });
    for (let index = 0; index < 6; index++) {
      await bus.publish('flock.started', flock(60 + index * 400, 3 + index));
      await bus.publish('bird.seen', { at: START + (80 + index * 400) * 1000, frameId: `b${index}`, count: 1, detections: [] });
      composer.update(START + (100 + index * 400) * 1000);
    }
    return { entries: composer.entries, voices: composer.voicesIn(0, 10_000 * RATE) };
  };
  assert.deepEqual(await run(), await run());
});
