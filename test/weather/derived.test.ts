import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DerivedTracker,
  fogOf,
  gustOf,
  precipitationOf,
  pressureTendencyAt,
  pressureTendencyOf,
  temperatureTrendAt,
  temperatureTrendOf,
  type DerivedEvent,
} from '../../src/weather/derived.js';
import type { WeatherObservation } from '../../src/weather/observation.js';
import { observationAt, parseOpenMeteo } from '../../src/weather/open-meteo.js';
import { SHARED_DIR } from '../support/paths.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const T0 = Date.parse('2024-01-10T00:00:00Z');

/** An observation at `T0 + minutes` knowing only what `known` gives. */
function observation(minutes: number, known: Partial<WeatherObservation> = {}): WeatherObservation {
  return {
    validAt: T0 + minutes * MINUTE_MS,
    temperatureC: null,
    pressureSeaLevelHpa: null,
    humidityPercent: null,
    windSpeedMs: null,
    windDirectionDeg: null,
    windGustMs: null,
    cloudCover: { total: null, low: null, mid: null, high: null },
    precipitation: { rateMmPerHour: null, kind: null },
    visibilityM: null,
    wmoCode: null,
    sunriseAt: null,
    sunsetAt: null,
    ...known,
  };
}

/** Hourly observations from T0 with these pressures (null: not reported). */
const hourlyPressures = (...values: (number | null)[]) =>
  values.map((pressureSeaLevelHpa, hour) => observation(hour * 60, { pressureSeaLevelHpa }));

test('pressure changes fall into the Met Office classes at their published edges', () => {
  const cases: [number, string][] = [
    [0, 'steady'],
    [0.04, 'steady'],
    [0.1, 'rising-slowly'],
    [1.5, 'rising-slowly'],
    [1.6, 'rising'],
    [3.5, 'rising'],
    [3.6, 'rising-quickly'],
    [6.0, 'rising-quickly'],
    [6.1, 'rising-very-rapidly'],
    [-0.1, 'falling-slowly'],
    [-1.6, 'falling'],
    [-3.6, 'falling-quickly'],
    [-12, 'falling-very-rapidly'],
    // Float noise from differences of reported values is read at 0.1 hPa.
    [1007.1 - 1007.2, 'falling-slowly'],
    [1015.3 - 1013.8, 'rising-slowly'],
  ];
  for (const [delta, expected] of cases) {
    assert.equal(pressureTendencyOf(delta), expected, `${delta}`);
  }
});

test('the pressure tendency compares the latest pressure with the one three hours before', () => {
  const series = hourlyPressures(1012.0, 1011.2, 1010.1, 1008.9, 1008.0);

  assert.deepEqual(pressureTendencyAt(series), {
    at: T0 + 4 * HOUR_MS,
    tendency: 'falling',
    deltaHpa3h: -3.2,
    fromAt: T0 + HOUR_MS,
  });
  const atThree = pressureTendencyAt(series, T0 + 3 * HOUR_MS + 30 * MINUTE_MS);
  assert.equal(atThree?.deltaHpa3h, -3.1);
  assert.equal(atThree?.tendency, 'falling');
});

test('the pressure tendency is unknown without a pressure now and three hours before', () => {
  assert.equal(pressureTendencyAt([]), null);
  assert.equal(pressureTendencyAt(hourlyPressures(1012, 1011, 1010)), null, 'two hours only');
  assert.equal(pressureTendencyAt(hourlyPressures(1012, 1011, 1010, null)), null, 'none now');
  assert.equal(pressureTendencyAt(hourlyPressures(null, 1011, 1010, 1009)), null, 'none before');
  assert.equal(pressureTendencyAt(hourlyPressures(1012), T0 - 1), null, 'nothing yet at atMs');

  const gap = [
    observation(0, { pressureSeaLevelHpa: 1012 }),
    observation(60, { pressureSeaLevelHpa: 1011 }),
    observation(270, { pressureSeaLevelHpa: 1010 }),
  ];
  assert.equal(pressureTendencyAt(gap), null, 'nothing within 15 minutes of three hours back');
});

test('with frequent observations the one nearest three hours back is used, to 15 minutes', () => {
  const tenMinutes = Array.from({ length: 20 }, (_, i) =>
    observation(i * 10, { pressureSeaLevelHpa: 1000 + i * 0.1 }),
  );
  const reading = pressureTendencyAt(tenMinutes);
  assert.equal(reading?.fromAt, T0 + 10 * MINUTE_MS);
  assert.equal(reading?.deltaHpa3h, 1.8);
  assert.equal(reading?.tendency, 'rising');

  const edge = (minutesBack: number) => [
    observation(0, { pressureSeaLevelHpa: 1000 }),
    observation(minutesBack, { pressureSeaLevelHpa: 1001 }),
  ];
  assert.notEqual(pressureTendencyAt(edge(195)), null, '3 h 15 min is near enough');
  assert.equal(pressureTendencyAt(edge(196)), null, '3 h 16 min is not');
});

test('the temperature trend needs 1.5 °C in three hours', () => {
  assert.equal(temperatureTrendOf(1.5), 'rising');
  assert.equal(temperatureTrendOf(1.4), 'steady');
  assert.equal(temperatureTrendOf(-1.4), 'steady');
  assert.equal(temperatureTrendOf(-1.5), 'falling');
  assert.equal(temperatureTrendOf(17.6 - 20.2), 'falling');

  const series = [12, 12.5, 13.4, 14.1].map((temperatureC, hour) =>
    observation(hour * 60, { temperatureC }),
  );
  assert.deepEqual(temperatureTrendAt(series), {
    at: T0 + 3 * HOUR_MS,
    trend: 'rising',
    deltaC3h: 2.1,
    fromAt: T0,
  });
  assert.equal(temperatureTrendAt(series.slice(0, 3)), null);
});

test('precipitation is falling by a rate or a code, and unknown when neither is known', () => {
  const drizzle = observation(0, {
    precipitation: { rateMmPerHour: 0.2, kind: 'drizzle' },
    wmoCode: 51,
  });
  assert.deepEqual(precipitationOf(drizzle), {
    at: T0,
    falling: true,
    kind: 'drizzle',
    rateMmPerHour: 0.2,
  });

  const codeOnly = observation(0, { wmoCode: 63 });
  assert.equal(precipitationOf(codeOnly)?.falling, true);
  const dry = observation(0, { precipitation: { rateMmPerHour: 0, kind: null }, wmoCode: 3 });
  assert.equal(precipitationOf(dry)?.falling, false);
  assert.equal(precipitationOf(observation(0)), null);
});

test('a gust counts at gale force, or 10 knots above the mean wind', () => {
  const wind = (windGustMs: number | null, windSpeedMs: number | null) =>
    gustOf(observation(0, { windGustMs, windSpeedMs }));

  assert.equal(wind(17.2, null)?.gusty, true, 'gale force, mean unknown');
  assert.equal(wind(17.2, 15)?.gusty, true, 'gale force, close to the mean');
  assert.equal(wind(12, 6.8)?.gusty, true, '5.2 m/s above the mean');
  assert.equal(wind(12, 7)?.gusty, false, '5.0 m/s above the mean');
  assert.equal(wind(12, null), null, 'below gale with the mean unknown');
  assert.equal(wind(null, 5), null, 'no gust reported');
  assert.deepEqual(wind(12, 6.8), { at: T0, gusty: true, gustMs: 12, meanMs: 6.8 });
});

test('fog is visibility under 1000 m or a fog code, and unknown without either', () => {
  const fog = (visibilityM: number | null, wmoCode: number | null) =>
    fogOf(observation(0, { visibilityM, wmoCode }))?.foggy ?? null;

  assert.equal(fog(800, null), true);
  assert.equal(fog(999, 3), true, 'visibility says fog where the code does not');
  assert.equal(fog(1000, null), false);
  assert.equal(fog(null, 45), true);
  assert.equal(fog(null, 48), true, 'depositing rime fog');
  assert.equal(fog(12_000, 45), true, 'the code says fog where visibility does not');
  assert.equal(fog(null, 3), false);
  assert.equal(fog(null, 40), false, 'fog at a distance, not here');
  assert.equal(fog(null, null), null);
});

const names = (events: DerivedEvent[]) => events.map((event) => event.name);

test('the tracker reports a trend when first known and at each change, not in between', () => {
  const tracker = new DerivedTracker();
  const pressures = [1012, 1012, 1012, 1012, 1011.9, 1011, 1009.5, 1008, 1007.5, 1007.6];
  const events = pressures.flatMap((pressureSeaLevelHpa, hour) =>
    tracker.add(observation(hour * 60, { pressureSeaLevelHpa })),
  );

  // Three hours apart: 0.0 at 03:00, -0.1, -1.0, -2.5, -3.9, -3.5 and -1.9 at 09:00.
  const change = (hour: number, tendency: string, deltaHpa3h: number, previous: string | null) => ({
    name: 'pressure.trend.changed',
    payload: { at: T0 + hour * HOUR_MS, tendency, deltaHpa3h, previous },
  });
  assert.deepEqual(events, [
    change(3, 'steady', 0, null),
    change(4, 'falling-slowly', -0.1, 'steady'),
    change(6, 'falling', -2.5, 'falling-slowly'),
    change(7, 'falling-quickly', -3.9, 'falling'),
    change(8, 'falling', -3.5, 'falling-quickly'),
  ]);
  assert.deepEqual(tracker.state.pressure, {
    at: T0 + 9 * HOUR_MS,
    tendency: 'falling',
    deltaHpa3h: -1.9,
    fromAt: T0 + 6 * HOUR_MS,
  });
});

test('an unknown stretch publishes nothing and is compared with the last known state after', () => {
  const tracker = new DerivedTracker();
  // -3.0 at 03:00 (falling); unknown from 04:00 to 10:00; -3.0 again at 11:00, -5.0 at 12:00.
  const pressures = [1012, 1011, 1010, 1009, null, null, null, null, 1006, 1005, 1004, 1003, 1000];
  const events = pressures.flatMap((pressureSeaLevelHpa, hour) =>
    tracker.add(observation(hour * 60, { pressureSeaLevelHpa })),
  );

  const tendencies = events.map((event) =>
    event.name === 'pressure.trend.changed' ? [event.payload.at, event.payload.tendency] : null,
  );
  assert.deepEqual(tendencies, [
    [T0 + 3 * HOUR_MS, 'falling'],
    [T0 + 12 * HOUR_MS, 'falling-quickly'],
  ]);
});

test('precipitation, gusts and fog start and stop; a first state of nothing is not news', () => {
  const tracker = new DerivedTracker();
  const dry = { precipitation: { rateMmPerHour: 0, kind: null }, wmoCode: 3 };
  const rain = { precipitation: { rateMmPerHour: 1.2, kind: 'rain' as const }, wmoCode: 63 };
  const calm = { windSpeedMs: 4, windGustMs: 6 };
  const gusty = { windSpeedMs: 8, windGustMs: 19 };

  assert.deepEqual(tracker.add(observation(0, { ...dry, ...calm, visibilityM: 20_000 })), []);
  assert.deepEqual(tracker.add(observation(60, { ...dry, ...calm, visibilityM: 600 })), [
    { name: 'fog.formed', payload: { at: T0 + HOUR_MS, visibilityM: 600, wmoCode: 3 } },
  ]);
  assert.deepEqual(names(tracker.add(observation(120, { ...rain, ...gusty, visibilityM: 4000 }))), [
    'precipitation.started',
    'wind.gusts.started',
    'fog.cleared',
  ]);
  assert.deepEqual(tracker.add(observation(180, { ...rain, ...gusty })), [], 'still raining');
  assert.deepEqual(names(tracker.add(observation(240, { ...dry, ...calm }))), [
    'precipitation.stopped',
    'wind.gusts.stopped',
  ]);
});

test('a first known state of something happening is a start', () => {
  const tracker = new DerivedTracker();
  const snow = { precipitation: { rateMmPerHour: 0.5, kind: 'snow' as const }, wmoCode: 73 };
  const events = tracker.add(observation(0, { ...snow, visibilityM: 700 }));
  assert.deepEqual(events, [
    { name: 'precipitation.started', payload: { at: T0, kind: 'snow', rateMmPerHour: 0.5 } },
    { name: 'fog.formed', payload: { at: T0, visibilityM: 700, wmoCode: 73 } },
  ]);
});

test('events carry the given instant; a revised hour replaces the last; older is ignored', () => {
  const tracker = new DerivedTracker();
  const rain = { precipitation: { rateMmPerHour: 2, kind: 'rain' as const }, wmoCode: 63 };
  const dry = { precipitation: { rateMmPerHour: 0, kind: null }, wmoCode: 1 };

  assert.deepEqual(tracker.add(observation(0, dry), T0 + 20 * MINUTE_MS), []);
  const revised = tracker.add(observation(0, rain), T0 + 40 * MINUTE_MS);
  const started = { at: T0 + 40 * MINUTE_MS, kind: 'rain', rateMmPerHour: 2 };
  assert.deepEqual(revised, [{ name: 'precipitation.started', payload: started }]);
  assert.deepEqual(tracker.add(observation(-60, dry)), [], 'older than the last');
  assert.equal(tracker.state.precipitation?.falling, true);
});

const BRUGES_FILE = join(SHARED_DIR, 'weather/open-meteo/archive-bruges-2023-07-29-hourly.json');
const brugesLocal = (hhmm: string): number => Date.parse(`2023-07-29T${hhmm}:00+02:00`);

test('on the Bruges day the pressure classes and the drizzle change at the right hours', () => {
  const reply = parseOpenMeteo(readFileSync(BRUGES_FILE, 'utf8'));
  const tracker = new DerivedTracker();
  const events: DerivedEvent[] = [];
  for (let hour = 0; hour < 24; hour++) {
    const atMs = brugesLocal('00:00') + hour * HOUR_MS;
    events.push(...tracker.add(observationAt(reply, atMs)!, atMs));
  }

  // pressure_msl, hPa, 00:00-23:00 local: 1007.8 .6 .8 .2 .2 .1 .1 .1 .1 .4 .2 .4 .5 .7 .5 .5
  // .4 .6 .5 .6 1008.1 .4 .9 1009.2. Three hours apart: 03:00 -0.6 (first known), 08:00 0.0,
  // 09:00 +0.3, 15:00 0.0, 16:00 -0.3, 17:00 +0.1, 18:00 0.0, 19:00 +0.2, then rising slowly
  // to +1.3 at 22:00.
  const pressure = events.flatMap((event) =>
    event.name === 'pressure.trend.changed'
      ? [[event.payload.at, event.payload.tendency, event.payload.deltaHpa3h]]
      : [],
  );
  assert.deepEqual(pressure, [
    [brugesLocal('03:00'), 'falling-slowly', -0.6],
    [brugesLocal('08:00'), 'steady', 0],
    [brugesLocal('09:00'), 'rising-slowly', 0.3],
    [brugesLocal('15:00'), 'steady', 0],
    [brugesLocal('16:00'), 'falling-slowly', -0.3],
    [brugesLocal('17:00'), 'rising-slowly', 0.1],
    [brugesLocal('18:00'), 'steady', 0],
    [brugesLocal('19:00'), 'rising-slowly', 0.2],
  ]);

  // Drizzle (code 51) is reported in the rows 08:00 to 17:00. skychoir reads a row at T as
  // [T, T + 1 h), as the weather stage does, so the drizzle stops at 18:00, when the first dry
  // row begins, not at 17:00 (the last drizzly row's start).
  const precipitation = events.filter((event) => event.name.startsWith('precipitation.'));
  assert.deepEqual(precipitation, [
    {
      name: 'precipitation.started',
      payload: { at: brugesLocal('08:00'), kind: 'drizzle', rateMmPerHour: 0.2 },
    },
    { name: 'precipitation.stopped', payload: { at: brugesLocal('18:00') } },
  ]);
});
