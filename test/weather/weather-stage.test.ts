import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { EventBus } from '../../src/bus/bus.js';
import type { SkyEvent, SkyEventName } from '../../src/bus/events.js';
import { silentLogger } from '../../src/log.js';
import { VirtualClock } from '../../src/time/clock.js';
import { WeatherStage, type RawWeatherReply } from '../../src/weather/weather-stage.js';
import { SHARED_DIR } from '../support/paths.js';

const BRUGES_FILE = join(SHARED_DIR, 'weather/open-meteo/archive-bruges-2023-07-29-hourly.json');
const BRUGES_BODY = readFileSync(BRUGES_FILE, 'utf8');
const brugesLocal = (hhmm: string): number => Date.parse(`2023-07-29T${hhmm}:00+02:00`);
const DAY_START = brugesLocal('00:00');
const DAY_END = DAY_START + 24 * 3_600_000;

const WATCHED: SkyEventName[] = [
  'weather.observed',
  'weather.rejected',
  'precipitation.started',
  'precipitation.stopped',
  'pressure.trend.changed',
];

/** A raw Open-Meteo reply as the poller or a replay hands it over. */
const openMeteo = (receivedAt: number, body: string): RawWeatherReply => ({
  provider: 'open-meteo',
  receivedAt,
  body,
});

function setUp(startMs = DAY_START, log = silentLogger()) {
  const clock = new VirtualClock(startMs);
  const bus = new EventBus(silentLogger());
  const events: SkyEvent[] = [];
  for (const name of WATCHED) {
    bus.on(name, 'test', (payload) => {
      events.push({ name, payload } as SkyEvent);
    });
  }
  const stage = new WeatherStage({ bus, clock, log });
  return { clock, bus, events, stage };
}

const named = <Name extends SkyEventName>(events: SkyEvent[], name: Name) =>
  events.filter((event): event is Extract<SkyEvent, { name: Name }> => event.name === name);

test('the Bruges drizzle starts at 08:00 local and stops at 18:00, once each', async () => {
  const { clock, events, stage } = setUp();

  await stage.acceptReply(openMeteo(DAY_START, BRUGES_BODY));
  await clock.advanceTo(DAY_END);

  const started = named(events, 'precipitation.started');
  const stopped = named(events, 'precipitation.stopped');
  assert.deepEqual(started.map((event) => event.payload), [
    { at: brugesLocal('08:00'), kind: 'drizzle', rateMmPerHour: 0.2 },
  ]);
  assert.deepEqual(stopped.map((event) => event.payload), [{ at: brugesLocal('18:00') }]);
});

test('the Bruges day publishes its three-hour pressure tendency when the class changes, at the hour', async () => {
  const { clock, events, stage } = setUp();

  await stage.acceptReply(openMeteo(DAY_START, BRUGES_BODY));
  await clock.advanceTo(DAY_END);

  // The classes of the Met Office's station reports, from the reply's hourly pressure_msl.
  const trend = named(events, 'pressure.trend.changed').map(({ payload }) => [payload.at, payload.tendency]);
  assert.deepEqual(trend, [
    [brugesLocal('03:00'), 'falling-slowly'],
    [brugesLocal('08:00'), 'steady'],
    [brugesLocal('09:00'), 'rising-slowly'],
    [brugesLocal('15:00'), 'steady'],
    [brugesLocal('16:00'), 'falling-slowly'],
    [brugesLocal('17:00'), 'rising-slowly'],
    [brugesLocal('18:00'), 'steady'],
    [brugesLocal('19:00'), 'rising-slowly'],
  ]);
});

test('a good reply is observed at once and then at every hour boundary it covers', async () => {
  const { clock, events, stage } = setUp(brugesLocal('05:20'));

  await stage.acceptReply(openMeteo(brugesLocal('05:20'), BRUGES_BODY));
  await clock.advanceTo(DAY_END + 5 * 3_600_000);

  const observed = named(events, 'weather.observed');
  assert.equal(observed.length, 19, 'the hour of 05:00 and the 18 hours after it');
  assert.equal(observed[0]!.payload.at, brugesLocal('05:20'));
  assert.equal(observed[0]!.payload.observation.validAt, brugesLocal('05:00'));
  assert.equal(observed[1]!.payload.at, brugesLocal('06:00'));
  assert.equal(observed.at(-1)!.payload.observation.validAt, brugesLocal('23:00'));
  assert.ok(observed.every((event) => event.payload.provider === 'open-meteo'));
  assert.equal(clock.pendingCount, 0, 'nothing is scheduled past the reply');
});

test('a bad reply after a good one is rejected and the good one stays in force', async () => {
  const capture: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      capture.push(String(chunk));
      done();
    },
  });
  const log = pino({ level: 'warn' }, sink);
  const { clock, events, stage } = setUp(DAY_START, log);

  await stage.acceptReply(openMeteo(DAY_START, BRUGES_BODY));
  await clock.advanceTo(brugesLocal('10:30'));
  await stage.acceptReply(openMeteo(brugesLocal('10:30'), '<html>503 Service Unavailable</html>'));
  await clock.advanceTo(DAY_END);

  const rejected = named(events, 'weather.rejected');
  assert.equal(rejected.length, 1);
  assert.equal(rejected[0]!.payload.at, brugesLocal('10:30'));
  assert.match(rejected[0]!.payload.reason, /open-meteo reply: body: not JSON/);
  assert.equal(stage.current?.hours.length, 24);

  const observedAt = named(events, 'weather.observed').map((event) => event.payload.at);
  assert.equal(observedAt.length, 24, 'every hour is still observed once');
  assert.equal(new Set(observedAt).size, 24);
  const stops = named(events, 'precipitation.stopped');
  assert.equal(stops.length, 1, 'the good reply still stops the drizzle');

  const warnings = capture.map((line) => JSON.parse(line) as { level: number; reason?: string });
  assert.ok(warnings.some((line) => line.level === 40 && /not JSON/.test(line.reason ?? '')));
});

test('a new good reply replaces the schedule of the old one', async () => {
  const { clock, events, stage } = setUp();
  const wetter = JSON.parse(BRUGES_BODY) as {
    hourly: { weathercode: number[]; precipitation: number[] };
  };
  wetter.hourly.weathercode = wetter.hourly.weathercode.map(() => 63);
  wetter.hourly.precipitation = wetter.hourly.precipitation.map(() => 2);

  await stage.acceptReply(openMeteo(DAY_START, BRUGES_BODY));
  await clock.advanceTo(brugesLocal('12:00'));
  await stage.acceptReply(openMeteo(brugesLocal('12:00'), JSON.stringify(wetter)));
  await clock.advanceTo(DAY_END);

  const observed = named(events, 'weather.observed');
  assert.equal(observed.length, 25, '12:00 is observed from both replies, no later hour twice');
  assert.ok(observed.slice(13).every((event) => event.payload.observation.wmoCode === 63));
  const starts = named(events, 'precipitation.started');
  assert.equal(starts.length, 1, 'drizzle turning to rain is not a new start');
  assert.equal(named(events, 'precipitation.stopped').length, 0);
});

test('stop cancels the hourly publications', async () => {
  const { clock, events, stage } = setUp();

  await stage.acceptReply(openMeteo(DAY_START, BRUGES_BODY));
  await clock.advanceTo(brugesLocal('03:00'));
  stage.stop();
  await clock.advanceTo(DAY_END);

  assert.equal(named(events, 'weather.observed').length, 4);
  assert.equal(clock.pendingCount, 0);
});

test('a reply that starts later than now is first observed at its first hour', async () => {
  const { clock, events, stage } = setUp(DAY_START - 3 * 3_600_000);

  await stage.acceptReply(openMeteo(DAY_START - 3 * 3_600_000, BRUGES_BODY));
  assert.equal(events.length, 0);
  await clock.advanceTo(DAY_START);

  assert.deepEqual(named(events, 'weather.observed').map((event) => event.payload.at), [DAY_START]);
});

test('a reply with only a current block is observed for the current interval', async () => {
  const nowMs = Date.parse('2024-06-01T08:20:00Z');
  const { events, stage } = setUp(nowMs);
  const body = JSON.stringify({
    latitude: 51.2,
    longitude: 3.2,
    utc_offset_seconds: 0,
    current: { time: '2024-06-01T08:15', interval: 900, weather_code: 61, precipitation: 1.2 },
  });

  await stage.acceptReply(openMeteo(nowMs, body));

  const observed = named(events, 'weather.observed');
  assert.equal(observed.length, 1);
  assert.equal(observed[0]!.payload.observation.validAt, Date.parse('2024-06-01T08:15:00Z'));
  const started = named(events, 'precipitation.started').map((event) => event.payload);
  assert.deepEqual(started, [{ at: nowMs, kind: 'rain', rateMmPerHour: 1.2 }]);
});

test('an HTTP error status or a provider not known is a rejected reply, not an observation', async () => {
  const { clock, events, stage } = setUp();

  await stage.acceptReply({ ...openMeteo(DAY_START, BRUGES_BODY), status: 500 });
  await stage.acceptReply({ provider: 'met-office', receivedAt: DAY_START, body: '{}', status: 200 });
  await clock.advanceTo(brugesLocal('02:00'));

  const reasons = named(events, 'weather.rejected').map((event) => event.payload.reason);
  assert.equal(reasons.length, 2);
  assert.match(reasons[0]!, /open-meteo reply: status: an HTTP error status .*found 500/);
  assert.match(reasons[1]!, /met-office reply: provider: not a provider skychoir knows/);
  assert.equal(named(events, 'weather.observed').length, 0);
  assert.equal(stage.current, null);

  await stage.acceptReply({ ...openMeteo(brugesLocal('02:00'), BRUGES_BODY), status: 200 });
  assert.equal(named(events, 'weather.observed').length, 1, 'a 200 reply is used');
});

test('OpenWeatherMap replies reach the bus too: a current reading is observed, a refused key is a rejected reply', async () => {
  const moscow = readFileSync(join(SHARED_DIR, 'weather/openweathermap/weather-moscow-clear-ru-metric-2020-05-01.body.json'), 'utf8');
  const refused = readFileSync(join(SHARED_DIR, 'weather/openweathermap/error-401-invalid-api-key.body.json'), 'utf8');
  const readingAt = (JSON.parse(moscow) as { dt: number }).dt * 1000;
  const { clock, events, stage } = setUp(readingAt);

  await stage.acceptReply({ provider: 'openweathermap', receivedAt: readingAt, body: moscow, status: 200 });
  await stage.acceptReply({ provider: 'openweathermap', receivedAt: readingAt + 600_000, body: refused, status: 401 });
  await clock.advanceTo(readingAt + 1_200_000);

  const observed = named(events, 'weather.observed');
  assert.equal(observed.length, 1);
  assert.equal(observed[0]!.payload.provider, 'openweathermap');
  assert.equal(observed[0]!.payload.observation.validAt, readingAt);
  assert.equal(observed[0]!.payload.observation.precipitation.rateMmPerHour, 0, 'clear sky: nothing falling');

  const rejected = named(events, 'weather.rejected').map((event) => event.payload.reason);
  assert.equal(rejected.length, 1);
  assert.match(rejected[0]!, /openweathermap reply: .*Invalid API key/);
  assert.notEqual(stage.current, null, 'the good reading stays in force');
});
