import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBus } from '../../src/bus/bus.js';
import type { SkyEvents } from '../../src/bus/events.js';
import { silentLogger } from '../../src/log.js';
import { VirtualClock } from '../../src/time/clock.js';
import type { Clock, ClockTask } from '../../src/time/clock.js';
import {
  phaseOf,
  polarStateAt,
  sunElevationDeg,
  sunPhaseAt,
  SunWatcher,
  type SunPhase,
} from '../../src/time/sun.js';

const MINUTE_MS = 60_000;
const BRUGES = { latitude: 51.2, longitude: 3.2 };
const NEW_YORK = { latitude: 40.7128, longitude: -74.006 };
const LONGYEARBYEN = { latitude: 78.22, longitude: 15.65 };
const TROMSO = { latitude: 69.65, longitude: 18.96 };
const MCMURDO = { latitude: -77.85, longitude: 166.67 };
const HOUR_MS = 3_600_000;
const DAY_PHASES: SunPhase[] = [
  'night',
  'dawn',
  'sunrise',
  'day',
  'golden',
  'sunset',
  'dusk',
  'night',
];

interface Place {
  latitude: number;
  longitude: number;
}

/** Published times allow a couple of minutes for rounding and the almanac's own model. */
const TOLERANCE_MS = 2 * MINUTE_MS;

/** The first minute from `fromMs` at which the phase is `phase`. */
function firstMinuteOf(phase: SunPhase, fromMs: number, place: Place): number {
  for (let atMs = fromMs; atMs < fromMs + 24 * 3_600_000; atMs += MINUTE_MS) {
    if (sunPhaseAt(atMs, place.latitude, place.longitude) === phase) return atMs;
  }
  throw new Error(`no ${phase} within a day of ${new Date(fromMs).toISOString()}`);
}

function assertNear(actualMs: number, expectedIso: string): void {
  const expectedMs = Date.parse(expectedIso);
  assert.ok(
    Math.abs(actualMs - expectedMs) <= TOLERANCE_MS,
    `${new Date(actualMs).toISOString()} is not within 2 min of ${expectedIso}`,
  );
}

test('in Bruges on 2023-07-29 the sunrise phase starts at the published 06:07 CEST', () => {
  const found = firstMinuteOf('sunrise', Date.parse('2023-07-28T22:00:00Z'), BRUGES);
  assertNear(found, '2023-07-29T06:07:00+02:00');
});

test('in Bruges on 2023-07-29 dusk starts at the published sunset, 21:39 CEST', () => {
  const found = firstMinuteOf('dusk', Date.parse('2023-07-29T12:00:00Z'), BRUGES);
  assertNear(found, '2023-07-29T21:39:00+02:00');
});

test('in New York on 2023-12-21 sunrise and sunset fall at the published 07:17 and 16:32', () => {
  const dayStart = Date.parse('2023-12-21T05:00:00Z');
  assertNear(firstMinuteOf('sunrise', dayStart, NEW_YORK), '2023-12-21T07:17:00-05:00');
  const dusk = firstMinuteOf('dusk', dayStart + 12 * 3_600_000, NEW_YORK);
  assertNear(dusk, '2023-12-21T16:32:00-05:00');
});

test('a Bruges day runs through the phases in order, each once', () => {
  const phases: SunPhase[] = [];
  const start = Date.parse('2023-07-28T22:00:00Z');
  for (let atMs = start; atMs < start + 24 * 3_600_000; atMs += MINUTE_MS) {
    const phase = sunPhaseAt(atMs, BRUGES.latitude, BRUGES.longitude);
    if (phases.at(-1) !== phase) phases.push(phase);
  }

  assert.deepEqual(phases, DAY_PHASES);
});

test('the elevation is highest near solar noon and negative at midnight', () => {
  const { latitude, longitude } = BRUGES;
  const noon = sunElevationDeg(Date.parse('2023-07-29T11:54:00Z'), latitude, longitude);
  const midnight = sunElevationDeg(Date.parse('2023-07-28T23:54:00Z'), latitude, longitude);

  assert.ok(Math.abs(noon - (90 - 51.2 + 18.7)) < 1, `noon elevation ${noon}`);
  assert.ok(midnight < -10, `midnight elevation ${midnight}`);
});

test('polar day is day all day and polar night is night all day, without errors', () => {
  for (let hour = 0; hour < 24; hour++) {
    const summer = Date.parse('2023-06-21T00:00:00Z') + hour * 3_600_000;
    const winter = Date.parse('2023-12-21T00:00:00Z') + hour * 3_600_000;
    const { latitude, longitude } = LONGYEARBYEN;
    assert.equal(sunPhaseAt(summer, latitude, longitude), 'day', `summer ${hour}h`);
    assert.equal(sunPhaseAt(winter, latitude, longitude), 'night', `winter ${hour}h`);
  }
});

test('the phase lines separate rising and setting names', () => {
  assert.equal(phaseOf(-10, true), 'night');
  assert.equal(phaseOf(-3, true), 'dawn');
  assert.equal(phaseOf(0, true), 'sunrise');
  assert.equal(phaseOf(10, true), 'day');
  assert.equal(phaseOf(10, false), 'day');
  assert.equal(phaseOf(3, false), 'golden');
  assert.equal(phaseOf(0.5, false), 'sunset');
  assert.equal(phaseOf(-3, false), 'dusk');
  assert.equal(phaseOf(-10, false), 'night');
});

test('the watcher publishes the phase at start, then each change once with the last', async () => {
  const start = Date.parse('2023-07-28T22:00:00Z');
  const clock = new VirtualClock(start);
  const bus = new EventBus(silentLogger());
  const changes: SkyEvents['sun.phase.changed'][] = [];
  bus.on('sun.phase.changed', 'test', (payload) => {
    changes.push(payload);
  });
  const watcher = new SunWatcher({ bus, clock, ...BRUGES });

  await watcher.start();
  const atStart = changes.map(({ at, phase, previous }) => ({ at, phase, previous }));
  assert.deepEqual(atStart, [{ at: start, phase: 'night', previous: null }]);
  await clock.advanceTo(start + 24 * 3_600_000);
  watcher.stop();

  assert.deepEqual(changes.map((change) => change.phase), DAY_PHASES);
  for (let i = 1; i < changes.length; i++) {
    assert.equal(changes[i]!.previous, changes[i - 1]!.phase);
  }
  assertNear(changes[2]!.at, '2023-07-29T06:07:00+02:00');
  assert.ok(changes.every((change) => change.at % MINUTE_MS === 0), 'checks fall on whole minutes');
  assert.equal(clock.pendingCount, 0, 'stop leaves nothing scheduled');
});

/** The distinct phases, in order, minute by minute over `hours` from `fromIso`. */
function phasesOver(place: Place, fromIso: string, hours = 24): { phase: SunPhase; at: number }[] {
  const runs: { phase: SunPhase; at: number }[] = [];
  const start = Date.parse(fromIso);
  for (let atMs = start; atMs < start + hours * HOUR_MS; atMs += MINUTE_MS) {
    const phase = sunPhaseAt(atMs, place.latitude, place.longitude);
    if (runs.at(-1)?.phase !== phase) runs.push({ phase, at: atMs });
  }
  return runs;
}

// Expected times below are NOAA Solar Calculator values (gml.noaa.gov/grad/solcalc, its
// equations as published in calcdetails.html), worked out for each place and date, rounded
// to the minute. For New York they agree with the sunrise and sunset almanacs print (05:25
// and 20:31 EDT on the June solstice).

test('in New York on 2025-06-21 dawn, sunrise, sunset and dusk fall at the NOAA times', () => {
  const phases = phasesOver(NEW_YORK, '2025-06-21T04:00:00Z');
  const startOf = (phase: SunPhase) => phases.find((run) => run.phase === phase)!.at;

  // NOAA: civil twilight begins 04:52, sunrise 05:25, sunset 20:31, civil twilight ends 21:04.
  assertNear(startOf('dawn'), '2025-06-21T04:52:00-04:00');
  assertNear(startOf('sunrise'), '2025-06-21T05:25:00-04:00');
  assertNear(startOf('dusk'), '2025-06-21T20:31:00-04:00');
  assertNear(phases.at(-1)!.at, '2025-06-21T21:04:00-04:00');
  assert.deepEqual(phases.map((run) => run.phase), DAY_PHASES);
});

test('an ordinary day has both civil twilights and both golden hours, in order', () => {
  // New York at the March equinox. NOAA: civil twilight 06:32-06:59 and 19:08-19:36 EDT.
  const phases = phasesOver(NEW_YORK, '2025-03-20T04:00:00Z');
  assert.deepEqual(phases.map((run) => run.phase), DAY_PHASES);

  const [, dawn, sunrise, day, golden, sunset, dusk, night] = phases.map((run) => run.at);
  assertNear(dawn!, '2025-03-20T06:32:00-04:00');
  assertNear(sunrise!, '2025-03-20T06:59:00-04:00');
  assertNear(dusk!, '2025-03-20T19:08:00-04:00');
  assertNear(night!, '2025-03-20T19:36:00-04:00');

  // The morning golden hour (the 'sunrise' phase) ends and the evening one begins where the
  // sun stands 6° high, as suncalc's goldenHourEnd and goldenHour say: 07:35 and 18:32 EDT.
  assertNear(day!, '2025-03-20T07:35:00-04:00');
  assertNear(golden!, '2025-03-20T18:32:00-04:00');
  assert.ok(sunset! - golden! > 20 * MINUTE_MS, 'the evening golden hour lasts a while');
});

test('Tromsø at midwinter: polar night, with civil twilight around noon and no sunrise', () => {
  // Tromsø's polar night runs from about 27 November to 14 January (no sunrise; Wikipedia
  // says "about 26 November to 15 January"). NOAA for 2025-12-21: no sunrise, civil twilight
  // 09:31-13:53 CET, the sun's highest point about 2.6° below the horizon.
  const { latitude, longitude } = TROMSO;
  for (let hour = 0; hour < 24; hour++) {
    const atMs = Date.parse('2025-12-20T23:00:00Z') + hour * HOUR_MS;
    assert.equal(polarStateAt(atMs, latitude, longitude), 'polar-night', `${hour}h`);
  }

  const phases = phasesOver(TROMSO, '2025-12-20T23:00:00Z');
  assert.deepEqual(phases.map((run) => run.phase), ['night', 'dawn', 'dusk', 'night']);
  assertNear(phases[1]!.at, '2025-12-21T09:31:00+01:00');
  assertNear(phases[3]!.at, '2025-12-21T13:53:00+01:00');
});

test('Tromsø at midsummer: polar day, the sun low at midnight but never setting', () => {
  // NOAA for 2025-06-21: no sunset and no civil twilight; the sun's lowest point is about 3°
  // up, so it passes below 6° (golden) and climbs back (the rising low-sun phase) unset.
  const { latitude, longitude } = TROMSO;
  for (let hour = 0; hour < 24; hour++) {
    const atMs = Date.parse('2025-06-20T22:00:00Z') + hour * HOUR_MS;
    assert.equal(polarStateAt(atMs, latitude, longitude), 'polar-day', `${hour}h`);
  }

  const phases = phasesOver(TROMSO, '2025-06-21T12:00:00Z');
  assert.deepEqual(phases.map((run) => run.phase), ['day', 'golden', 'sunrise', 'day']);
  assert.ok(sunElevationDeg(Date.parse('2025-06-20T22:46:00Z'), latitude, longitude) > 3);
});

test("Tromsø's polar night begins after 26 November and ends after 14 January", () => {
  // NOAA: the sun rises for an hour on 2025-11-26 and again on 2026-01-15, not in between.
  const { latitude, longitude } = TROMSO;
  const state = (isoNoon: string) => polarStateAt(Date.parse(isoNoon), latitude, longitude);
  assert.equal(state('2025-11-26T10:30:00Z'), null);
  assert.equal(state('2025-11-27T10:30:00Z'), 'polar-night');
  assert.equal(state('2026-01-14T10:50:00Z'), 'polar-night');
  assert.equal(state('2026-01-15T10:50:00Z'), null);
  assert.equal(state('2025-03-20T10:50:00Z'), null);
});

test('at McMurdo the seasons are reversed: polar day in December, polar night in June', () => {
  const { latitude, longitude } = MCMURDO;
  for (let hour = 0; hour < 24; hour++) {
    const december = Date.parse('2025-12-21T00:00:00Z') + hour * HOUR_MS;
    const june = Date.parse('2025-06-21T00:00:00Z') + hour * HOUR_MS;
    assert.equal(polarStateAt(december, latitude, longitude), 'polar-day', `December ${hour}h`);
    assert.equal(polarStateAt(june, latitude, longitude), 'polar-night', `June ${hour}h`);
  }

  // The sun stays above 11° in December and below -10° (past civil twilight) in June.
  assert.deepEqual(phasesOver(MCMURDO, '2025-12-21T00:00:00Z').map((run) => run.phase), ['day']);
  assert.deepEqual(phasesOver(MCMURDO, '2025-06-21T00:00:00Z').map((run) => run.phase), ['night']);
});

test('an ordinary day has no polar state', () => {
  const atMs = Date.parse('2023-07-29T12:00:00Z');
  assert.equal(polarStateAt(atMs, BRUGES.latitude, BRUGES.longitude), null);
  assert.equal(polarStateAt(atMs, 0, 0), null);
});

/** A virtual clock that records how far ahead each task is scheduled. */
class RecordingClock implements Clock {
  readonly aheadMs: number[] = [];
  constructor(readonly inner: VirtualClock) {}

  now(): number {
    return this.inner.now();
  }

  schedule(atMs: number, task: ClockTask): () => void {
    this.aheadMs.push(atMs - this.inner.now());
    return this.inner.schedule(atMs, task);
  }
}

for (const [name, place, fromIso, expected] of [
  ['Tromsø polar night', TROMSO, '2025-12-20T23:00:00Z', ['night', 'dawn', 'dusk', 'night']],
  ['Tromsø midnight sun', TROMSO, '2025-06-21T12:00:00Z', ['day', 'golden', 'sunrise', 'day']],
  ['McMurdo polar night', MCMURDO, '2025-06-21T00:00:00Z', ['night']],
  ['McMurdo polar day', MCMURDO, '2025-12-21T00:00:00Z', ['day']],
] as const) {
  test(`the watcher runs through a ${name} with finite elevations and one-step waits`, async () => {
    const start = Date.parse(fromIso);
    const clock = new RecordingClock(new VirtualClock(start));
    const bus = new EventBus(silentLogger());
    const changes: SkyEvents['sun.phase.changed'][] = [];
    bus.on('sun.phase.changed', 'test', (payload) => {
      changes.push(payload);
    });
    const watcher = new SunWatcher({ bus, clock, ...place });

    await watcher.start();
    await clock.inner.advanceTo(start + 24 * HOUR_MS);
    watcher.stop();

    assert.deepEqual(changes.map((change) => change.phase), expected);
    assert.ok(changes.every((change) => Number.isFinite(change.elevationDeg)));
    const oneStep = clock.aheadMs.every((ms) => ms > 0 && ms <= MINUTE_MS);
    assert.ok(oneStep, 'never more than a step ahead');
    assert.ok(clock.aheadMs.length >= 24 * 60, 'checks every minute all day');
    assert.equal(clock.inner.pendingCount, 0);
  });
}

test('the watcher refuses a place that is not on Earth and a step that is not a number', () => {
  const bus = new EventBus(silentLogger());
  const clock = new VirtualClock(0);
  assert.throws(() => new SunWatcher({ bus, clock, latitude: 91, longitude: 0 }), /latitude.*91/);
  assert.throws(() => new SunWatcher({ bus, clock, latitude: Number.NaN, longitude: 0 }), /NaN/);
  assert.throws(() => new SunWatcher({ bus, clock, latitude: 0, longitude: 200 }), /longitude/);
  const infinite = { bus, clock, latitude: 0, longitude: 0, stepMs: Infinity };
  assert.throws(() => new SunWatcher(infinite), /stepMs/);
});
