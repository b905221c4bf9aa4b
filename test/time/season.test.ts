import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isTropical, seasonAt, solarLongitudeDeg, type Season } from '../../src/time/season.js';

const MINUTE_MS = 60_000;

// 2025's equinoxes and solstices, UTC, as the US Naval Observatory publishes them
// (aa.usno.navy.mil, "Earth's Seasons and Apsides").
const MARCH_EQUINOX = Date.parse('2025-03-20T09:01:00Z');
const JUNE_SOLSTICE = Date.parse('2025-06-21T02:42:00Z');
const SEPTEMBER_EQUINOX = Date.parse('2025-09-22T18:19:00Z');
const DECEMBER_SOLSTICE = Date.parse('2025-12-21T15:03:00Z');

const BRUGES_LATITUDE = 51.2;
const SYDNEY_LATITUDE = -33.87;

/**
 * How close the computed change must be to the published minute: Meeus's low-precision
 * series is good to about 0.01°, some 15 minutes of the sun's motion (2025's March equinox
 * comes out 10 minutes early).
 */
const MARGIN_MS = 15 * MINUTE_MS;

test('the solar longitude passes 0, 90, 180 and 270 degrees at the published instants', () => {
  const cases: [number, number][] = [
    [MARCH_EQUINOX, 0],
    [JUNE_SOLSTICE, 90],
    [SEPTEMBER_EQUINOX, 180],
    [DECEMBER_SOLSTICE, 270],
  ];
  for (const [atMs, expectedDeg] of cases) {
    const offDeg = ((solarLongitudeDeg(atMs) - expectedDeg + 540) % 360) - 180;
    // The sun moves about 0.0007° a minute: 0.01° is about 15 minutes.
    assert.ok(Math.abs(offDeg) < 0.01, `${new Date(atMs).toISOString()}: off by ${offDeg}°`);
  }
});

test('astronomical seasons change at the equinoxes and solstices, reversed in the south', () => {
  const changes: [number, Season, Season][] = [
    [MARCH_EQUINOX, 'winter', 'spring'],
    [JUNE_SOLSTICE, 'spring', 'summer'],
    [SEPTEMBER_EQUINOX, 'summer', 'autumn'],
    [DECEMBER_SOLSTICE, 'autumn', 'winter'],
  ];
  const southern: Record<Season, Season> = {
    spring: 'autumn',
    summer: 'winter',
    autumn: 'spring',
    winter: 'summer',
  };
  for (const [atMs, before, after] of changes) {
    const label = new Date(atMs).toISOString();
    assert.equal(seasonAt(atMs - MARGIN_MS, BRUGES_LATITUDE), before, `north before ${label}`);
    assert.equal(seasonAt(atMs + MARGIN_MS, BRUGES_LATITUDE), after, `north after ${label}`);
    assert.equal(seasonAt(atMs - MARGIN_MS, SYDNEY_LATITUDE), southern[before], `south before`);
    assert.equal(seasonAt(atMs + MARGIN_MS, SYDNEY_LATITUDE), southern[after], `south after`);
  }
});

test('the Bruges test day is northern summer and southern winter', () => {
  const atMs = Date.parse('2023-07-29T12:00:00Z');
  assert.equal(seasonAt(atMs, BRUGES_LATITUDE), 'summer');
  assert.equal(seasonAt(atMs, SYDNEY_LATITUDE), 'winter');
  assert.equal(seasonAt(atMs, BRUGES_LATITUDE, 'meteorological'), 'summer');
});

test('meteorological seasons change on the first of March, June, September, December (UTC)', () => {
  const firsts: [string, Season, Season][] = [
    ['2025-03-01', 'winter', 'spring'],
    ['2025-06-01', 'spring', 'summer'],
    ['2025-09-01', 'summer', 'autumn'],
    ['2025-12-01', 'autumn', 'winter'],
  ];
  for (const [date, before, after] of firsts) {
    const midnight = Date.parse(`${date}T00:00:00Z`);
    assert.equal(seasonAt(midnight - 1, 52, 'meteorological'), before, `north before ${date}`);
    assert.equal(seasonAt(midnight, 52, 'meteorological'), after, `north on ${date}`);
  }

  const january = Date.parse('2025-01-15T00:00:00Z');
  assert.equal(seasonAt(january, 52, 'meteorological'), 'winter');
  assert.equal(seasonAt(january, -34, 'meteorological'), 'summer');
  assert.equal(seasonAt(Date.parse('2025-04-15T00:00:00Z'), -34, 'meteorological'), 'autumn');
  assert.equal(seasonAt(Date.parse('2025-10-15T00:00:00Z'), -34, 'meteorological'), 'spring');
});

test('the two reckonings differ between the first of the month and the equinox', () => {
  const atMs = Date.parse('2025-03-10T12:00:00Z');
  assert.equal(seasonAt(atMs, BRUGES_LATITUDE, 'meteorological'), 'spring');
  assert.equal(seasonAt(atMs, BRUGES_LATITUDE, 'astronomical'), 'winter');
});

test("the tropics take their hemisphere's season, the equator counting as north", () => {
  const july = Date.parse('2025-07-15T00:00:00Z');
  assert.equal(seasonAt(july, 1.35), 'summer', 'Singapore');
  assert.equal(seasonAt(july, 0), 'summer', 'the equator');
  assert.equal(seasonAt(july, -0.18), 'winter', 'Quito');
  assert.equal(isTropical(1.35), true);
  assert.equal(isTropical(-23), true);
  assert.equal(isTropical(BRUGES_LATITUDE), false);
  assert.equal(isTropical(-33.87), false);
});

test('the poles have seasons too, and a latitude off the Earth is refused', () => {
  const july = Date.parse('2025-07-15T00:00:00Z');
  assert.equal(seasonAt(july, 90), 'summer');
  assert.equal(seasonAt(july, -90), 'winter');
  assert.throws(() => seasonAt(july, 91), /latitude.*91/);
  assert.throws(() => seasonAt(july, Number.NaN), /latitude/);
  assert.throws(() => seasonAt(Number.NaN, 0), /atMs/);
});
