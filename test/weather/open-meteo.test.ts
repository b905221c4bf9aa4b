import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { observationAt, parseOpenMeteo } from '../../src/weather/open-meteo.js';
import { WeatherReplyError } from '../../src/weather/reply-error.js';
import { precipitationKindOfWmo } from '../../src/weather/wmo.js';
import { SHARED_DIR } from '../support/paths.js';

const REPLIES_DIR = join(SHARED_DIR, 'weather/open-meteo');
const BRUGES_FILE = join(REPLIES_DIR, 'archive-bruges-2023-07-29-hourly.json');
const BRUGES_BODY = readFileSync(BRUGES_FILE, 'utf8');

/** 2023-07-29 local time in Bruges (CEST, UTC+2) as an instant. */
const brugesLocal = (hhmm: string): number => Date.parse(`2023-07-29T${hhmm}:00+02:00`);

/** The Bruges reply as JSON, to derive variants from. */
function brugesJson(): Record<string, any> /* a reply being edited into test variants */ {
  return JSON.parse(BRUGES_BODY) as Record<string, any>;
}

/** Renames the old variable names of a reply to the names Open-Meteo uses since 2023. */
function withNewNames(reply: Record<string, any> /* a reply being edited */): Record<string, any> {
  const renames: Record<string, string> = {
    weathercode: 'weather_code',
    cloudcover: 'cloud_cover',
    cloudcover_low: 'cloud_cover_low',
    cloudcover_mid: 'cloud_cover_mid',
    cloudcover_high: 'cloud_cover_high',
    relativehumidity_2m: 'relative_humidity_2m',
    windspeed_10m: 'wind_speed_10m',
    winddirection_10m: 'wind_direction_10m',
    windgusts_10m: 'wind_gusts_10m',
  };
  for (const block of ['hourly', 'hourly_units']) {
    for (const [oldName, newName] of Object.entries(renames)) {
      reply[block][newName] = reply[block][oldName];
      delete reply[block][oldName];
    }
  }
  return reply;
}

function expectReplyError(body: string, path: string): WeatherReplyError {
  let caught: unknown;
  try {
    parseOpenMeteo(body);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof WeatherReplyError, `got ${String(caught)}`);
  assert.equal(caught.provider, 'open-meteo');
  assert.equal(caught.path, path);
  assert.match(caught.message, /^open-meteo reply: /);
  if (path !== '') assert.ok(caught.message.includes(path), caught.message);
  return caught;
}

test('every stored Open-Meteo reply parses into hourly observations', () => {
  const files = readdirSync(REPLIES_DIR).filter((name) => name.endsWith('.json'));
  assert.ok(files.length >= 3, `found ${files.length} replies`);

  for (const file of files) {
    const reply = parseOpenMeteo(readFileSync(join(REPLIES_DIR, file), 'utf8'));
    assert.ok(reply.hours.length >= 1, file);
    assert.equal(reply.utcOffsetS, 7200, file);
    for (const hour of reply.hours) assert.ok(Number.isFinite(hour.validAt), file);
  }
});

test('Bruges at 08:00 local reads drizzle code 51, 0.2 mm/h, 1007.1 hPa and full cloud', () => {
  const reply = parseOpenMeteo(BRUGES_BODY);
  const hour = observationAt(reply, brugesLocal('08:30'));

  assert.ok(hour);
  assert.equal(hour.validAt, Date.parse('2023-07-29T06:00:00Z'));
  assert.equal(hour.wmoCode, 51);
  assert.deepEqual(hour.precipitation, { rateMmPerHour: 0.2, kind: 'drizzle' });
  assert.equal(hour.pressureSeaLevelHpa, 1007.1);
  assert.deepEqual(hour.cloudCover, { total: 1, low: 0.99, mid: 0.42, high: 0.22 });
  assert.equal(hour.temperatureC, 17.1);
  assert.equal(hour.humidityPercent, 86);
  assert.ok(Math.abs(hour.windSpeedMs! - 19.1 / 3.6) < 1e-9, 'km/h becomes m/s');
  assert.ok(Math.abs(hour.windGustMs! - 31.3 / 3.6) < 1e-9);
  assert.equal(hour.windDirectionDeg, 226);
  assert.equal(hour.visibilityM, null, 'the reply has no visibility: unknown, not 0');
});

test('daily sunrise and sunset become instants attached to each hour of their day', () => {
  const reply = parseOpenMeteo(BRUGES_BODY);

  const sunriseAt = Date.parse('2023-07-29T04:07:00Z');
  const sunsetAt = Date.parse('2023-07-29T19:39:00Z');
  assert.deepEqual(reply.days, [{ localDate: '2023-07-29', sunriseAt, sunsetAt }]);
  assert.equal(reply.hours[0]!.sunriseAt, Date.parse('2023-07-29T04:07:00Z'));
  assert.equal(reply.hours[23]!.sunsetAt, Date.parse('2023-07-29T19:39:00Z'));
});

test('hourly rows cover exactly the local day, and instants outside it give null', () => {
  const reply = parseOpenMeteo(BRUGES_BODY);

  assert.equal(reply.hours.length, 24);
  const first = observationAt(reply, brugesLocal('00:00'));
  const last = observationAt(reply, brugesLocal('23:59'));
  assert.equal(first!.validAt, Date.parse('2023-07-28T22:00:00Z'));
  assert.equal(last!.validAt, Date.parse('2023-07-29T21:00:00Z'));
  assert.equal(observationAt(reply, brugesLocal('00:00') - 1), null);
  assert.equal(observationAt(reply, Date.parse('2023-07-29T22:00:00Z')), null);
});

test('old and new variable names give the same observations', () => {
  const oldNames = parseOpenMeteo(BRUGES_BODY);
  const newNames = parseOpenMeteo(JSON.stringify(withNewNames(brugesJson())));

  assert.deepEqual(newNames.hours, oldNames.hours);
});

test('when a reply carries both spellings the new name wins', () => {
  const json = brugesJson();
  json.hourly.weather_code = json.hourly.weathercode.map(() => 61);

  const hour = parseOpenMeteo(JSON.stringify(json)).hours[0]!;

  assert.equal(hour.wmoCode, 61);
  assert.equal(hour.precipitation.kind, 'rain');
});

test('a null entry stays null and is never read as 0 (case W7)', () => {
  const json = brugesJson();
  json.hourly.pressure_msl[5] = null;
  json.hourly.precipitation[23] = null;
  json.hourly.weathercode[23] = null;
  json.hourly.cloudcover_low[23] = null;

  const reply = parseOpenMeteo(JSON.stringify(json));

  assert.equal(reply.hours[5]!.pressureSeaLevelHpa, null);
  assert.equal(reply.hours[4]!.pressureSeaLevelHpa, 1007.2);
  assert.equal(reply.hours[23]!.wmoCode, null);
  assert.equal(reply.hours[23]!.cloudCover.low, null);
  assert.equal(reply.hours[23]!.precipitation.rateMmPerHour, 0, 'the rain series still says 0');
});

test('a weather code sent as 3.0 compares as the integer 3 (case W7)', () => {
  const body = '{"latitude":52.4,"longitude":4.8,"utc_offset_seconds":0,"hourly":{"time":' +
    '["2024-06-01T00:00","2024-06-01T01:00"],"weathercode":[3.0,51.0]}}';

  const reply = parseOpenMeteo(body);

  assert.equal(reply.hours[0]!.wmoCode, 3);
  assert.equal(reply.hours[0]!.precipitation.kind, null);
  assert.equal(reply.hours[1]!.wmoCode, 51);
  assert.equal(reply.hours[1]!.precipitation.kind, 'drizzle');
});

test('a weather code that is not an integer is refused', () => {
  const body = '{"latitude":1,"longitude":2,"utc_offset_seconds":0,' +
    '"hourly":{"time":["2024-06-01T00:00"],"weathercode":[3.5]}}';

  const error = expectReplyError(body, 'hourly.weathercode[0]');
  assert.match(error.message, /not an integer/);
});

test('a body that is not JSON gives a WeatherReplyError that quotes it', () => {
  const error = expectReplyError('<html><body>502 Bad Gateway</body></html>', '');

  assert.match(error.message, /not JSON/);
  assert.match(error.message, /502 Bad Gateway/);
});

test('a wrong-typed field gives a WeatherReplyError naming the field and the value', () => {
  const json = brugesJson();
  json.hourly.pressure_msl[2] = '1007.8';

  const error = expectReplyError(JSON.stringify(json), 'hourly.pressure_msl[2]');

  assert.equal(error.value, '1007.8');
  assert.match(error.message, /expected number/);
  assert.match(error.message, /"1007\.8"/);
});

test('a missing required field is named in the error', () => {
  const json = brugesJson();
  delete json.utc_offset_seconds;

  expectReplyError(JSON.stringify(json), 'utc_offset_seconds');
});

test('a series shorter than its times is refused', () => {
  const json = brugesJson();
  json.hourly.rain.pop();

  const error = expectReplyError(JSON.stringify(json), 'hourly.rain');
  assert.match(error.message, /23 values for 24 times/);
});

test('an implausible value is refused with its field', () => {
  const json = brugesJson();
  json.hourly.cloudcover[7] = 180;

  const error = expectReplyError(JSON.stringify(json), 'hourly.cloudcover[7]');
  assert.match(error.message, /outside the plausible range/);
});

test('an error reply from Open-Meteo gives its reason', () => {
  const body = '{"error":true,"reason":"Cannot initialize WeatherVariable from invalid String ' +
    'value foo"}';

  const error = expectReplyError(body, 'reason');


  assert.match(error.message, /invalid String value foo/);
});

test('imperial units are converted to metric', () => {
  const body = JSON.stringify({
    latitude: 40.7,
    longitude: -74,
    utc_offset_seconds: -14_400,
    hourly_units: {
      time: 'iso8601',
      temperature_2m: '°F',
      wind_speed_10m: 'mp/h',
      precipitation: 'inch',
      visibility: 'ft',
    },
    hourly: {
      time: ['2024-06-01T00:00'],
      temperature_2m: [68],
      wind_speed_10m: [10],
      precipitation: [0.1],
      visibility: [1000],
    },
  });

  const hour = parseOpenMeteo(body).hours[0]!;

  assert.equal(hour.validAt, Date.parse('2024-06-01T04:00:00Z'));
  assert.ok(Math.abs(hour.temperatureC! - 20) < 1e-9);
  assert.ok(Math.abs(hour.windSpeedMs! - 4.4704) < 1e-9);
  assert.ok(Math.abs(hour.precipitation.rateMmPerHour! - 2.54) < 1e-9);
  assert.ok(Math.abs(hour.visibilityM! - 304.8) < 1e-9);
  assert.equal(hour.precipitation.kind, 'rain', 'an amount without a code is rain');
});

test('a unit the parser does not know is refused, naming the units field', () => {
  const json = brugesJson();
  json.hourly_units.pressure_msl = 'inHg';

  expectReplyError(JSON.stringify(json), 'hourly_units.pressure_msl');
});

test('unix-second times need no offset', () => {
  const body = JSON.stringify({
    latitude: 51.2,
    longitude: 3.2,
    utc_offset_seconds: 7200,
    hourly_units: { time: 'unixtime' },
    hourly: { time: [1690610400, 1690614000], precipitation: [0.2, 0.1] },
  });

  const reply = parseOpenMeteo(body);

  assert.deepEqual(reply.hours.map((hour) => hour.validAt), [1690610400000, 1690614000000]);
});

test('the current block is read and used where the hourly rows do not reach', () => {
  const body = JSON.stringify({
    latitude: 51.2,
    longitude: 3.2,
    utc_offset_seconds: 7200,
    current_units: { time: 'iso8601', weather_code: 'wmo code', wind_speed_10m: 'km/h' },
    current: { time: '2024-06-01T10:15', interval: 900, weather_code: 61.0, wind_speed_10m: 36 },
  });

  const reply = parseOpenMeteo(body);
  const now = observationAt(reply, Date.parse('2024-06-01T08:20:00Z'));

  assert.ok(now);
  assert.equal(now.validAt, Date.parse('2024-06-01T08:15:00Z'));
  assert.equal(now.windSpeedMs, 10);
  assert.equal(now.precipitation.kind, 'rain');
  assert.equal(observationAt(reply, Date.parse('2024-06-01T08:30:00Z')), null);
});

test('the legacy current_weather block is read with its own names in errors', () => {
  const reply = {
    latitude: 51.2,
    longitude: 3.2,
    utc_offset_seconds: 0,
    current_weather: {
      time: '2024-06-01T10:00',
      temperature: 18.5,
      windspeed: 18,
      winddirection: 200,
      weathercode: 80,
    },
  };

  const now = parseOpenMeteo(JSON.stringify(reply)).current!.observation;

  assert.equal(now.windSpeedMs, 5);
  assert.equal(now.precipitation.kind, 'showers');
  reply.current_weather.winddirection = 400;
  expectReplyError(JSON.stringify(reply), 'current_weather.winddirection');
});

test('a time that is not a real date, or in milliseconds instead of seconds, is refused', () => {
  const json = brugesJson();
  json.hourly.time[0] = '2023-02-30T00:00';
  expectReplyError(JSON.stringify(json), 'hourly.time[0]');

  const body = JSON.stringify({
    latitude: 51.2,
    longitude: 3.2,
    utc_offset_seconds: 0,
    hourly: { time: [1690610400000], precipitation: [0.2] },
  });
  const error = expectReplyError(body, 'hourly.time[0]');
  assert.match(error.message, /outside 1900\.\.2200/);
});

test('hourly times that go backwards are refused', () => {
  const json = brugesJson();
  json.hourly.time[3] = '2023-07-29T01:00';

  expectReplyError(JSON.stringify(json), 'hourly.time[3]');
});

test('WMO codes map to precipitation kinds and non-precipitating codes to none', () => {
  const cases: [number, string | null][] = [
    [0, null], [3, null], [45, null], [51, 'drizzle'], [55, 'drizzle'], [56, 'freezing'],
    [61, 'rain'], [67, 'freezing'], [71, 'snow'], [77, 'snow'], [80, 'showers'], [85, 'snow'],
    [95, 'thunder'], [99, 'thunder'], [25, null], [100, null], [-1, null],
  ];
  for (const [code, kind] of cases) {
    assert.equal(precipitationKindOfWmo(code), kind, `code ${code}`);
  }
});
