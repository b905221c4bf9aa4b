/**
 * Fault suite, weather replies: the real Open-Meteo and OpenWeatherMap replies of
 * ../shared/weather/, each spoilt one way (a field missing, null, of the wrong type, NaN-like,
 * of the wrong length, huge; an empty, HTML or truncated body), handed to the real weather
 * stage after a good reply. Each gives a WeatherReplyError naming the provider and the field,
 * one `weather.rejected` with that reason, a warning, and nothing lost: the good reply stays
 * in force, the world state keeps its values, the hours go on, and no event carries NaN.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorldState } from '../../src/composer/world.js';
import { VirtualClock } from '../../src/time/clock.js';
import { parseForecastReply } from '../../src/weather/providers.js';
import { WeatherReplyError } from '../../src/weather/reply-error.js';
import { WeatherStage } from '../../src/weather/weather-stage.js';
import { memoryLogger } from '../support/logs.js';
import { SHARED_DIR } from '../support/paths.js';
import { ALL_EVENT_NAMES, named, nonFiniteNumbers, recordingBus, withValue, without } from './support.js';

type Json = Record<string, unknown>;
const readJson = (file: string): Json => JSON.parse(readFileSync(join(SHARED_DIR, 'weather', file), 'utf8')) as Json;
const TEN_MB = 10 * 1024 * 1024;
const HOUR_MS = 3_600_000;

/** What a spoilt reply must give: the field its error names, or acceptance with a check. */
type Outcome = { field: string; problem?: RegExp } | { accepted: (world: WorldState) => void };

interface ReplyCase {
  name: string;
  body: (good: Json) => string;
  outcome: Outcome;
}

interface Provider {
  id: 'open-meteo' | 'openweathermap';
  label: string;
  good: Json;
  /** An instant the good reply covers. */
  nowMs: number;
  cases: ReplyCase[];
}

const json = (value: unknown): string => JSON.stringify(value);
/** Writes `value` into the JSON text where JSON.stringify cannot (1e999, NaN). */
const withLiteral = (good: Json, path: (string | number)[], literal: string): string =>
  json(withValue(good, path, '@@literal@@')).replace('"@@literal@@"', literal);

/** Faults every provider's body can have, whatever its shape. */
const BODY_FAULTS: ReplyCase[] = [
  { name: 'an empty body', body: () => '', outcome: { field: 'body', problem: /empty body|not JSON/ } },
  { name: 'an HTML page', body: () => '<html><body><h1>502 Bad Gateway</h1></body></html>', outcome: { field: 'body', problem: /not JSON/ } },
  { name: 'JSON cut in half', body: (good) => json(good).slice(0, json(good).length >> 1), outcome: { field: 'body', problem: /not JSON/ } },
  { name: 'a 10 MB HTML page', body: () => `<html>${'x'.repeat(TEN_MB)}</html>`, outcome: { field: 'body', problem: /not JSON/ } },
  { name: 'JSON null', body: () => 'null', outcome: { field: '' } },
  { name: 'a JSON list', body: () => '[1, 2, 3]', outcome: { field: '' } },
];

const bruges = readJson('open-meteo/archive-bruges-2023-07-29-hourly.json');
const brugesSeries = (name: string): unknown[] => (bruges.hourly as Record<string, unknown[]>)[name]!;

const OPEN_METEO: Provider = {
  id: 'open-meteo',
  label: 'Open-Meteo (Bruges archive)',
  good: bruges,
  nowMs: Date.parse('2023-07-29T10:30:00+02:00'),
  cases: [
    ...BODY_FAULTS,
    { name: 'latitude missing', body: (good) => json(without(good, ['latitude'])), outcome: { field: 'latitude' } },
    { name: 'utc_offset_seconds missing', body: (good) => json(without(good, ['utc_offset_seconds'])), outcome: { field: 'utc_offset_seconds' } },
    { name: 'hourly.time missing', body: (good) => json(without(good, ['hourly', 'time'])), outcome: { field: 'hourly.time' } },
    { name: 'latitude null', body: (good) => json(withValue(good, ['latitude'], null)), outcome: { field: 'latitude' } },
    { name: 'hourly null', body: (good) => json(withValue(good, ['hourly'], null)), outcome: { field: 'hourly' } },
    { name: 'one hourly time null', body: (good) => json(withValue(good, ['hourly', 'time', 3], null)), outcome: { field: 'hourly.time[3]' } },
    { name: 'a whole series null', body: (good) => json(withValue(good, ['hourly', 'temperature_2m'], null)), outcome: { field: 'hourly.temperature_2m' } },
    {
      name: 'one humidity null (unknown, not 0, accepted)',
      body: (good) => json(withValue(good, ['hourly', 'relativehumidity_2m', 10], null)),
      outcome: { accepted: (world) => assert.equal(world.humidityPercent, null) },
    },
    { name: 'a temperature "12" as a string', body: (good) => json(withValue(good, ['hourly', 'temperature_2m', 10], '12')), outcome: { field: 'hourly.temperature_2m[10]' } },
    { name: 'a pressure as an object', body: (good) => json(withValue(good, ['hourly', 'pressure_msl', 2], { hPa: 1000 })), outcome: { field: 'hourly.pressure_msl[2]' } },
    { name: 'a weather code true', body: (good) => json(withValue(good, ['hourly', 'weathercode', 0], true)), outcome: { field: 'hourly.weathercode[0]' } },
    { name: 'latitude "51.2" as a string', body: (good) => json(withValue(good, ['latitude'], '51.2')), outcome: { field: 'latitude' } },
    { name: 'hourly as a list', body: (good) => json(withValue(good, ['hourly'], [])), outcome: { field: 'hourly' } },
    { name: 'a unit as a number', body: (good) => json(withValue(good, ['hourly_units', 'temperature_2m'], 5)), outcome: { field: 'hourly_units.temperature_2m' } },
    { name: 'a time as an object', body: (good) => json(withValue(good, ['hourly', 'time', 0], {})), outcome: { field: 'hourly.time[0]' } },
    { name: 'a temperature "NaN"', body: (good) => json(withValue(good, ['hourly', 'temperature_2m', 10], 'NaN')), outcome: { field: 'hourly.temperature_2m[10]' } },
    { name: 'a temperature "Infinity"', body: (good) => json(withValue(good, ['hourly', 'temperature_2m', 10], 'Infinity')), outcome: { field: 'hourly.temperature_2m[10]' } },
    { name: 'a bare NaN in the body', body: (good) => withLiteral(good, ['hourly', 'temperature_2m', 10], 'NaN'), outcome: { field: 'body', problem: /not JSON/ } },
    { name: 'a temperature of 1e999 (Infinity once parsed)', body: (good) => withLiteral(good, ['hourly', 'temperature_2m', 10], '1e999'), outcome: { field: 'hourly.temperature_2m[10]' } },
    { name: 'a utc offset of 1e999', body: (good) => withLiteral(good, ['utc_offset_seconds'], '1e999'), outcome: { field: 'utc_offset_seconds' } },
    { name: 'a temperature of 1e308', body: (good) => json(withValue(good, ['hourly', 'temperature_2m', 10], 1e308)), outcome: { field: 'hourly.temperature_2m[10]', problem: /plausible range/ } },
    { name: 'a time of 1e308 seconds', body: (good) => json(withValue(good, ['hourly', 'time', 0], 1e308)), outcome: { field: 'hourly.time[0]', problem: /1900\.\.2200/ } },
    { name: 'a series one value short', body: (good) => json(withValue(good, ['hourly', 'temperature_2m'], brugesSeries('temperature_2m').slice(1))), outcome: { field: 'hourly.temperature_2m', problem: /23 values for 24 times/ } },
    {
      name: 'a series of 100000 values',
      body: (good) => json(withValue(good, ['hourly', 'cloudcover'], Array.from({ length: 100_000 }, () => 50))),
      outcome: { field: 'hourly.cloudcover', problem: /100000 values for 24 times/ },
    },
    { name: 'an hour repeated', body: (good) => json(withValue(good, ['hourly', 'time', 5], brugesSeries('time')[4])), outcome: { field: 'hourly.time[5]', problem: /not after/ } },
    { name: 'two sunrises for one day', body: (good) => json(withValue(good, ['daily', 'sunrise'], ['2023-07-29T06:07', '2023-07-29T06:08'])), outcome: { field: 'daily.sunrise' } },
    { name: 'a 10 MB string for a temperature', body: (good) => json(withValue(good, ['hourly', 'temperature_2m', 10], 'x'.repeat(TEN_MB))), outcome: { field: 'hourly.temperature_2m[10]' } },
    { name: 'the provider\'s own error body', body: () => json({ error: true, reason: 'Cannot initialize WeatherVariable from invalid String value tempeature_2m' }), outcome: { field: 'reason' } },
  ],
};

const moscow = readJson('openweathermap/weather-moscow-clear-ru-metric-2020-05-01.body.json');

const OPENWEATHERMAP_CURRENT: Provider = {
  id: 'openweathermap',
  label: 'OpenWeatherMap current (Moscow, metric)',
  good: moscow,
  nowMs: (moscow.dt as number) * 1000 + 60_000,
  cases: [
    ...BODY_FAULTS,
    { name: 'main missing', body: (good) => json(without(good, ['main'])), outcome: { field: 'main' } },
    { name: 'dt missing', body: (good) => json(without(good, ['dt'])), outcome: { field: 'dt' } },
    { name: 'dt null', body: (good) => json(withValue(good, ['dt'], null)), outcome: { field: 'dt' } },
    { name: 'main null', body: (good) => json(withValue(good, ['main'], null)), outcome: { field: 'main' } },
    { name: 'a condition id null', body: (good) => json(withValue(good, ['weather', 0, 'id'], null)), outcome: { field: 'weather[0].id' } },
    {
      name: 'humidity null (unknown, accepted)',
      body: (good) => json(withValue(good, ['main', 'humidity'], null)),
      outcome: { accepted: (world) => assert.equal(world.humidityPercent, null) },
    },
    { name: 'main.temp "12" as a string', body: (good) => json(withValue(good, ['main', 'temp'], '12')), outcome: { field: 'main.temp' } },
    { name: 'wind.speed as an object', body: (good) => json(withValue(good, ['wind', 'speed'], { value: 3 })), outcome: { field: 'wind.speed' } },
    { name: 'weather as a string', body: (good) => json(withValue(good, ['weather'], 'clear')), outcome: { field: 'weather' } },
    { name: 'rain.1h "4.52" as a string', body: (good) => json(withValue(good, ['rain'], { '1h': '4.52' })), outcome: { field: 'rain.1h' } },
    { name: 'coord.lat as a string', body: (good) => json(withValue(good, ['coord', 'lat'], '55.75')), outcome: { field: 'coord.lat' } },
    { name: 'main.temp "NaN"', body: (good) => json(withValue(good, ['main', 'temp'], 'NaN')), outcome: { field: 'main.temp' } },
    { name: 'a pressure of 1e999', body: (good) => withLiteral(good, ['main', 'pressure'], '1e999'), outcome: { field: 'main.pressure' } },
    { name: 'rain.1h of 1e999', body: (good) => json(good).replace('"clouds"', '"rain":{"1h":1e999},"clouds"'), outcome: { field: 'rain.1h' } },
    { name: 'main.temp of 1e308', body: (good) => json(withValue(good, ['main', 'temp'], 1e308)), outcome: { field: 'main.temp', problem: /plausible range/ } },
    { name: 'dt of 1e308', body: (good) => json(withValue(good, ['dt'], 1e308)), outcome: { field: 'dt', problem: /1900\.\.2200/ } },
    { name: 'clouds.all of 250 %', body: (good) => json(withValue(good, ['clouds', 'all'], 250)), outcome: { field: 'clouds.all' } },
    { name: 'a 10 MB string for main.temp', body: (good) => json(withValue(good, ['main', 'temp'], 'x'.repeat(TEN_MB))), outcome: { field: 'main.temp' } },
    { name: 'cod "500" with a message', body: () => json({ cod: '500', message: 'Internal error' }), outcome: { field: 'message', problem: /server-down/ } },
    { name: 'cod null', body: (good) => json(withValue(good, ['cod'], null)), outcome: { field: 'cod' } },
  ],
};

/** Phoenix's One Call reply, read in Kelvin, turned to the metric skychoir asks for. */
function phoenixMetric(): Json {
  const reply = readJson('openweathermap/onecall-3.0-phoenix-2023-12-31.body.json');
  const toCelsius = (point: Json): void => {
    for (const key of ['temp', 'feels_like', 'dew_point']) point[key] = Math.round(((point[key] as number) - 273.15) * 100) / 100;
  };
  toCelsius(reply.current as Json);
  (reply.hourly as Json[]).forEach(toCelsius);
  return reply;
}

const phoenix = phoenixMetric();
const phoenixHours = phoenix.hourly as Json[];

const OPENWEATHERMAP_ONE_CALL: Provider = {
  id: 'openweathermap',
  label: 'OpenWeatherMap One Call 3.0 (Phoenix)',
  good: phoenix,
  nowMs: (phoenixHours[0]!.dt as number) * 1000 + 30 * 60_000,
  cases: [
    ...BODY_FAULTS,
    { name: 'lat missing', body: (good) => json(without(good, ['lat'])), outcome: { field: 'lat' } },
    { name: 'an hour without dt', body: (good) => json(without(good, ['hourly', 3, 'dt'])), outcome: { field: 'hourly[3].dt' } },
    { name: 'an hour null', body: (good) => json(withValue(good, ['hourly', 5], null)), outcome: { field: 'hourly[5]' } },
    { name: 'hourly.temp "12" as a string', body: (good) => json(withValue(good, ['hourly', 3, 'temp'], '12')), outcome: { field: 'hourly[3].temp' } },
    { name: 'hourly as an object', body: (good) => json(withValue(good, ['hourly'], {})), outcome: { field: 'hourly' } },
    { name: 'a sunrise as a string', body: (good) => json(withValue(good, ['daily', 0, 'sunrise'], 'dawn')), outcome: { field: 'daily[0].sunrise' } },
    { name: 'a wind speed of 1e999', body: (good) => withLiteral(good, ['hourly', 7, 'wind_speed'], '1e999'), outcome: { field: 'hourly[7].wind_speed' } },
    { name: 'a current temperature of 1e308', body: (good) => json(withValue(good, ['current', 'temp'], 1e308)), outcome: { field: 'current.temp' } },
    {
      name: '100000 hours, the last one repeated',
      body: (good) => json(withValue(good, ['hourly'], [...phoenixHours, ...Array.from({ length: 100_000 - phoenixHours.length }, () => phoenixHours.at(-1))])),
      outcome: { field: `hourly[${phoenixHours.length}].dt`, problem: /not after the previous hour/ },
    },
  ],
};

/** The world state's weather-fed values at `atMs`. */
const worldValues = (world: WorldState, atMs: number) => ({
  humidityPercent: world.humidityPercent,
  windSpeedMs: world.windSpeedMs,
  cloudCover: world.cloudCover(atMs),
  precipitating: world.precipitating,
});

for (const provider of [OPEN_METEO, OPENWEATHERMAP_CURRENT, OPENWEATHERMAP_ONE_CALL]) {
  for (const fault of provider.cases) {
    test(`weather fault, ${provider.label}: ${fault.name}`, async () => {
      const clock = new VirtualClock(provider.nowMs);
      const { bus, events } = recordingBus(ALL_EVENT_NAMES);
      const world = new WorldState();
      world.follow(bus);
      const { log, lines } = memoryLogger('warn');
      const stage = new WeatherStage({ bus, clock, log });

      await stage.acceptReply({ provider: provider.id, receivedAt: clock.now(), body: json(provider.good) });
      const goodReply = stage.current;
      assert.ok(goodReply, 'the good reply is accepted');
      const goodWorld = worldValues(world, clock.now());
      assert.notEqual(goodWorld.humidityPercent, null, 'the good reply gave the world a humidity');

      await clock.advanceTo(clock.now() + 60_000);
      const body = fault.body(provider.good);
      await stage.acceptReply({ provider: provider.id, receivedAt: clock.now(), body });

      assert.deepEqual(nonFiniteNumbers(events), [], 'no NaN or Infinity in any event');
      const rejected = named(events, 'weather.rejected');
      const outcome = fault.outcome;
      if ('accepted' in outcome) {
        assert.equal(rejected.length, 0);
        assert.notEqual(stage.current, goodReply, 'the new reply is in force');
        outcome.accepted(world);
        return;
      }

      assert.throws(() => parseForecastReply(provider.id, body), (error: unknown) => {
        assert.ok(error instanceof WeatherReplyError, `a WeatherReplyError, not ${String(error)}`);
        assert.equal(error.provider, provider.id);
        assert.equal(error.path, outcome.field === 'body' ? '' : outcome.field);
        return true;
      });

      assert.equal(rejected.length, 1, 'one weather.rejected');
      const { reason, provider: rejectedBy, at } = rejected[0]!.payload;
      assert.equal(rejectedBy, provider.id);
      assert.equal(at, clock.now());
      const where = outcome.field === '' ? 'body' : outcome.field;
      assert.ok(reason.startsWith(`${provider.id} reply: ${where}: `), reason);
      if (outcome.problem) assert.match(reason, outcome.problem);
      assert.ok(reason.length < 400, `the reason stays short (${reason.length} characters)`);
      assert.ok(lines.some((line) => line.level === 40 && line.reason === reason), 'the rejection is logged as a warning');

      assert.equal(stage.current, goodReply, 'the good reply stays in force');
      assert.deepEqual(worldValues(world, clock.now()), goodWorld, 'the world keeps the good values');
      if (provider.id === 'open-meteo') {
        await clock.advanceTo(Math.floor(clock.now() / HOUR_MS) * HOUR_MS + HOUR_MS);
        const last = named(events, 'weather.observed').at(-1)!;
        assert.equal(last.payload.at, clock.now(), 'the next hour of the good reply is still observed');
      }
    });
  }
}
