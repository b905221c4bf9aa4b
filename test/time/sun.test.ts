import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBus } from '../../src/bus/bus.js';
import type { SkyEvents } from '../../src/bus/events.js';
import { silentLogger } from '../../src/log.js';
import { VirtualClock } from '../../src/time/clock.js';
import {
  phaseOf,
  sunElevationDeg,
  sunPhaseAt,
  SunWatcher,
  type SunPhase,
} from '../../src/time/sun.js';

const MINUTE_MS = 60_000;
const BRUGES = { latitude: 51.2, longitude: 3.2 };
const NEW_YORK = { latitude: 40.7128, longitude: -74.006 };
const LONGYEARBYEN = { latitude: 78.22, longitude: 15.65 };
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
