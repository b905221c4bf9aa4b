import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SkyMemory, describeRating, emptyMemoryData, prominenceOf } from '../../src/composer/sky-memory.js';
import { memoryStatusOf, seasonsAt } from '../../src/composer/sky-memory-setup.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Midnight UTC, 1 July 2026: summer in the north, astronomically. */
const DAY0 = Date.parse('2026-07-01T00:00:00Z');
const summer = () => 'summer' as const;

function memory(halfLifeDays = 60) {
  return new SkyMemory({ timeZone: 'UTC', seasonAt: summer, halfLifeDays });
}

/** `days` days watched hour by hour (at :30), with a flock at 07:10 each day. */
function learnMorningFlocks(sky: SkyMemory, days: number): void {
  for (let day = 0; day < days; day++) {
    for (let hour = 0; hour < 24; hour++) {
      sky.pass(DAY0 + day * DAY + hour * HOUR + 30 * 60_000);
      if (hour === 7) sky.observe('flock', DAY0 + day * DAY + 7 * HOUR + 40 * 60_000);
    }
  }
}

test('each local hour watched counts once per day, and events land in their hour and season', () => {
  const sky = memory(1e6);
  learnMorningFlocks(sky, 5);
  const { bins, daysLearned } = sky.snapshot();
  assert.equal(daysLearned, 5);
  for (const bin of bins.summer) assert.ok(Math.abs(bin.days - 5) < 1e-3, `each hour seen on 5 days (${bin.days})`);
  assert.ok(Math.abs(bins.summer[7]!.counts.flock - 5) < 1e-3);
  assert.equal(bins.summer.reduce((sum, bin) => sum + bin.counts.flock, 0) - bins.summer[7]!.counts.flock, 0);
  assert.equal(bins.winter[7]!.days, 0);
});

test('a flock where flocks are usual rates far less rare than at an hour where they never happen', () => {
  const sky = memory();
  learnMorningFlocks(sky, 30);
  const usual = sky.rate('flock', DAY0 + 30 * DAY + 7 * HOUR + 20 * 60_000);
  const never = sky.rate('flock', DAY0 + 30 * DAY + 14 * HOUR);
  assert.ok(usual.rarity < 0.15, `usual at 7h: ${usual.rarity}`);
  assert.ok(never.rarity > 0.6, `never at 14h: ${never.rarity}`);
  assert.ok(usual.ratePerHour > 0.5 && never.ratePerHour < 0.01, `${usual.ratePerHour} vs ${never.ratePerHour}`);
  assert.equal(never.hour, 14);
  assert.equal(never.season, 'summer');
});

test('the first flock of the day is rated more prominent than the tenth, and a new day starts again', () => {
  const sky = memory();
  const noon = DAY0 + 12 * HOUR;
  const ratings = Array.from({ length: 10 }, (_, index) => sky.observe('flock', noon + index * 60_000));
  assert.equal(ratings[0]!.firstToday, true);
  assert.equal(ratings[9]!.firstToday, false);
  assert.equal(ratings[9]!.earlierToday, 9);
  for (let index = 1; index < 10; index++) {
    assert.ok(ratings[index]!.prominence < ratings[index - 1]!.prominence, `flock ${index + 1} less prominent than the one before`);
  }
  assert.ok(ratings[0]!.rarity > ratings[9]!.rarity, 'the bin learns the day\'s flocks too');
  assert.match(describeRating(ratings[0]!), /^(rare|unusual|usual) at 12h in summer \(0\.\d\d\), first today$/);
  assert.match(describeRating(ratings[9]!), /, 10th today$/);

  const tomorrow = sky.observe('flock', noon + DAY);
  assert.equal(tomorrow.firstToday, true);
  assert.equal(sky.summary().daysLearned, 2);
  assert.equal(sky.summary().rarestToday?.at, noon + DAY);
});

test('prominence: rarity raised halfway to 1 for the first of the day, less for each later one, always 0..1', () => {
  const near = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} vs ${expected}`);
  near(prominenceOf(0, 0), 0.5);
  near(prominenceOf(1, 0), 1);
  near(prominenceOf(0, 9), 0.05);
  near(prominenceOf(0.4, 0), 0.7);
  near(prominenceOf(0.4, 1), 0.55);
});

test('learning decays by its half-life, hour by hour while watched and across a gap while not', () => {
  const sky = memory(10);
  for (let index = 0; index < 8; index++) sky.observe('pressureFall', DAY0 + 9 * HOUR + index * 60_000);
  // Ten days watched every 20 minutes: the counts halve (each hour decays once, however often time is told).
  for (let at = DAY0 + 9 * HOUR; at <= DAY0 + 10 * DAY + 9 * HOUR; at += 20 * 60_000) sky.pass(at);
  assert.ok(Math.abs(sky.snapshot().bins.summer[9]!.counts.pressureFall - 4) < 1e-9, String(sky.snapshot().bins.summer[9]!.counts.pressureFall));
  // Twenty days with nothing watching (the daemon off): two more half-lives, and no hours counted as seen.
  const daysBefore = sky.snapshot().bins.summer.reduce((sum, bin) => sum + bin.days, 0);
  sky.pass(DAY0 + 30 * DAY + 9 * HOUR);
  const after = sky.snapshot().bins.summer;
  assert.ok(Math.abs(after[9]!.counts.pressureFall - 1) < 1e-9, String(after[9]!.counts.pressureFall));
  const daysAfter = after.reduce((sum, bin) => sum + bin.days, 0);
  assert.ok(Math.abs(daysAfter - (daysBefore / 4 + 1)) < 1e-9, `${daysAfter} vs ${daysBefore / 4 + 1}`);
});

test('the same events give the same memory bit for bit, however often time is told in between', () => {
  const events = Array.from({ length: 200 }, (_, index) => ({ at: DAY0 + index * 37 * 60_000, kind: (['flock', 'bird', 'aircraft', 'fog'] as const)[index % 4]! }));
  const dense = memory();
  const sparse = memory();
  for (let at = DAY0; at <= events.at(-1)!.at; at += 60_000) {
    dense.pass(at);
    for (const event of events.filter((each) => each.at >= at && each.at < at + 60_000)) dense.observe(event.kind, event.at);
  }
  for (const event of events) sparse.observe(event.kind, event.at);
  assert.deepEqual(dense.snapshot().bins, sparse.snapshot().bins);
});

test('bins are the place\'s local hours and its seasons (Brussels, a June evening, CEST)', () => {
  const sky = new SkyMemory({ timeZone: 'Europe/Brussels', seasonAt: seasonsAt(51.2) });
  const rating = sky.observe('aircraft', Date.parse('2026-06-25T18:30:00Z'));
  assert.equal(rating.hour, 20);
  assert.equal(rating.season, 'summer');
  assert.equal(sky.snapshot().bins.summer[20]!.counts.aircraft, 1);
  // Before the solstice the astronomical season is still spring.
  assert.equal(sky.rate('aircraft', Date.parse('2026-06-10T10:00:00Z')).season, 'spring');
});

test('an empty memory rates by its priors: common kinds usual, rare kinds rare', () => {
  const sky = new SkyMemory({ timeZone: 'UTC', seasonAt: summer, data: emptyMemoryData() });
  const bird = sky.rate('bird', DAY0 + 10 * HOUR);
  const fog = sky.rate('fog', DAY0 + 10 * HOUR);
  assert.ok(bird.rarity < 0.1 && fog.rarity > 0.6, `bird ${bird.rarity}, fog ${fog.rarity}`);
});

test('the status summary: days learned and today\'s rarest event, in numbers and words', () => {
  const sky = memory();
  assert.deepEqual(memoryStatusOf(sky), { daysLearned: 0, rarestToday: null });
  sky.observe('bird', DAY0 + 9 * HOUR);
  sky.observe('fog', DAY0 + 10 * HOUR);
  sky.observe('bird', DAY0 + 11 * HOUR);
  const status = memoryStatusOf(sky);
  assert.equal(status.daysLearned, 1);
  assert.equal(status.rarestToday?.kind, 'fog');
  assert.equal(status.rarestToday?.at, '2026-07-01T10:00:00.000Z');
  assert.match(status.rarestToday?.summary ?? '', /^fog, rare at 10h in summer \(0\.\d\d\), first today$/);
});
