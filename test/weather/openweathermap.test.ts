import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scrubSecrets } from '../../src/config/redact.js';
import type { WeatherFailureKind } from '../../src/weather/failure.js';
import type { WeatherObservation } from '../../src/weather/observation.js';
import {
  classifyOpenWeatherMapError,
  openWeatherMapRequestUrl,
  parseOpenWeatherMapCurrent,
  parseOpenWeatherMapOneCall,
  type OpenWeatherMapParseOptions,
} from '../../src/weather/openweathermap.js';
import {
  OPENWEATHERMAP_CONDITIONS,
  openWeatherMapCondition,
} from '../../src/weather/openweathermap-schema.js';
import { WeatherReplyError } from '../../src/weather/reply-error.js';
import { isPrecipitatingWmo } from '../../src/weather/wmo.js';
import { SHARED_DIR } from '../support/paths.js';

const REPLIES_DIR = join(SHARED_DIR, 'weather/openweathermap');
const readReply = (file: string): string => readFileSync(join(REPLIES_DIR, file), 'utf8');

/** Most stored replies were recorded without units=metric: their temperatures are Kelvin. */
const KELVIN: OpenWeatherMapParseOptions = { requestedUnits: 'standard' };

const ZOCCA = 'weather-zocca-docs-example-pyopenweathermap.json';
const LONDON_LIGHT_DAY = 'weather-london-light-rain-day-2020-05-01.body.json';
const MOSCOW = 'weather-moscow-clear-ru-metric-2020-05-01.body.json';
const PHOENIX = 'onecall-3.0-phoenix-2023-12-31.body.json';

const seconds = (unixS: number): number => unixS * 1000;

/** A stored reply as JSON, to derive variants from. */
function replyJson(file: string): Record<string, any> /* a reply being edited into variants */ {
  return JSON.parse(readReply(file)) as Record<string, any>;
}

function expectReplyError(
  parse: () => unknown,
  kind: WeatherFailureKind,
  path: string,
): WeatherReplyError {
  let caught: unknown;
  try {
    parse();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof WeatherReplyError, `got ${String(caught)}`);
  assert.equal(caught.provider, 'openweathermap');
  assert.equal(caught.kind, kind, caught.message);
  assert.equal(caught.path, path, caught.message);
  assert.match(caught.message, /^openweathermap reply: /);
  if (path !== '') assert.ok(caught.message.includes(`${path}:`), caught.message);
  return caught;
}

/** A current-weather observation with the fields that every London/New York reply shares. */
function current(file: string, options: OpenWeatherMapParseOptions = KELVIN): WeatherObservation {
  return parseOpenWeatherMapCurrent(readReply(file), options).observation;
}

/** What each stored file gives; every file in the folder must be named here. */
const EXPECTATIONS: Record<string, () => void> = {
  'error-401-invalid-api-key.body.json': () => {
    const body = readReply('error-401-invalid-api-key.body.json');
    const error = expectReplyError(
      () => parseOpenWeatherMapCurrent(body, { status: 401 }),
      'invalid-key',
      'message',
    );
    assert.ok(error.message.includes('Invalid API key'), error.message);
    assert.ok(error.message.includes('two hours'), error.message);
  },

  'error-404-empty-body.body.txt': () => {
    const body = readReply('error-404-empty-body.body.txt');
    const error = expectReplyError(
      () => parseOpenWeatherMapCurrent(body, { status: 404 }),
      'not-found',
      '',
    );
    assert.ok(error.message.includes('empty body with HTTP 404'), error.message);
    expectReplyError(() => parseOpenWeatherMapCurrent(body), 'not-json', '');
  },

  'malformed-current-weather.json': () => {
    const body = readReply('malformed-current-weather.json');
    const error = expectReplyError(
      () => parseOpenWeatherMapCurrent(body, { status: 200 }),
      'not-json',
      '',
    );
    assert.match(error.message, /not JSON .*found "\{/);
  },

  'onecall-3.0-timemachine-error-400-out-of-range.body.json': () => {
    const body = readReply('onecall-3.0-timemachine-error-400-out-of-range.body.json');
    const error = expectReplyError(
      () => parseOpenWeatherMapOneCall(body, { status: 400 }),
      'bad-request',
      'message',
    );
    assert.ok(error.message.includes('cod "400"'), error.message);
    assert.ok(error.message.includes('out of allowed range of 5 days back'), error.message);
  },

  [PHOENIX]: () => {
    const reply = parseOpenWeatherMapOneCall(readReply(PHOENIX), KELVIN);
    assert.equal(reply.latitude, 33.5312);
    assert.equal(reply.longitude, -111.9426);
    assert.equal(reply.timezone, 'America/Phoenix');
    assert.equal(reply.utcOffsetS, -25200);
    assert.deepEqual(reply.current, {
      validAt: seconds(1704064820),
      temperatureC: 16.05,
      pressureSeaLevelHpa: 1019,
      humidityPercent: 48,
      windSpeedMs: 2.06,
      windDirectionDeg: 110,
      windGustMs: null,
      cloudCover: { total: 0, low: null, mid: null, high: null },
      precipitation: { rateMmPerHour: 0, kind: null },
      visibilityM: 10000,
      wmoCode: 0,
      sunriseAt: seconds(1704033103),
      sunsetAt: seconds(1704068963),
    });

    assert.equal(reply.hours.length, 48);
    const [first, second] = reply.hours;
    assert.equal(first?.validAt, seconds(1704063600));
    assert.equal(first?.windGustMs, 0.49);
    assert.equal(second?.temperatureC, 15.97);
    assert.deepEqual(second?.cloudCover, { total: 0.18, low: null, mid: null, high: null });
    assert.equal(second?.wmoCode, 1);
    // The hours take their sun times from `daily`, by the local (Phoenix) date.
    assert.equal(first?.sunriseAt, seconds(1704033103));
    assert.equal(reply.hours.at(-1)?.sunriseAt, seconds(1704205927));
    assert.equal(reply.hours.at(-1)?.sunsetAt, seconds(1704241849));
    for (const hour of reply.hours) {
      assert.deepEqual(hour.precipitation, { rateMmPerHour: 0, kind: null });
    }
  },

  [LONDON_LIGHT_DAY]: () => {
    assert.deepEqual(current(LONDON_LIGHT_DAY), {
      validAt: seconds(1588338951),
      temperatureC: 14.08,
      pressureSeaLevelHpa: 998,
      humidityPercent: 66,
      windSpeedMs: 4.1,
      windDirectionDeg: 250,
      windGustMs: null,
      cloudCover: { total: 0.05, low: null, mid: null, high: null },
      precipitation: { rateMmPerHour: 0.3, kind: 'rain' },
      visibilityM: 10000,
      wmoCode: 61,
      sunriseAt: seconds(1588307493),
      sunsetAt: seconds(1588361005),
    });
  },

  'weather-london-light-rain-night-2020-04-28.body.json': () => {
    const hour = current('weather-london-light-rain-night-2020-04-28.body.json');
    assert.equal(hour.temperatureC, 9.42);
    assert.equal(hour.humidityPercent, 81);
    assert.equal(hour.windDirectionDeg, 70);
    assert.equal(hour.cloudCover.total, 1);
    assert.deepEqual(hour.precipitation, { rateMmPerHour: 0.51, kind: 'rain' });
    assert.equal(hour.sunriseAt, seconds(1588048633));
  },

  'weather-london-moderate-rain-day-2020-04-28.body.json': () => {
    const hour = current('weather-london-moderate-rain-day-2020-04-28.body.json');
    assert.equal(hour.temperatureC, 8.93);
    assert.equal(hour.pressureSeaLevelHpa, 1005);
    assert.equal(hour.humidityPercent, 87);
    assert.equal(hour.windSpeedMs, 5.7);
    assert.equal(hour.windDirectionDeg, 90);
    assert.equal(hour.cloudCover.total, 0.75);
    assert.equal(hour.visibilityM, 8000);
    assert.deepEqual(hour.precipitation, { rateMmPerHour: 1.52, kind: 'rain' });
    assert.equal(hour.wmoCode, 63);
  },

  'weather-london-moderate-rain-night-2020-04-28.body.json': () => {
    const hour = current('weather-london-moderate-rain-night-2020-04-28.body.json');
    assert.equal(hour.temperatureC, 8.72);
    assert.deepEqual(hour.precipitation, { rateMmPerHour: 1.27, kind: 'rain' });
    assert.equal(hour.validAt, seconds(1588047748));
  },

  [MOSCOW]: () => {
    const reply = parseOpenWeatherMapCurrent(readReply(MOSCOW));
    assert.equal(reply.placeName, 'Москва');
    assert.equal(reply.utcOffsetS, 10800);
    assert.deepEqual(reply.observation, {
      validAt: seconds(1588338706),
      temperatureC: 12,
      pressureSeaLevelHpa: 1014,
      humidityPercent: 27,
      windSpeedMs: 3,
      windDirectionDeg: 90,
      windGustMs: null,
      cloudCover: { total: 0, low: null, mid: null, high: null },
      precipitation: { rateMmPerHour: 0, kind: null },
      visibilityM: 10000,
      wmoCode: 0,
      sunriseAt: seconds(1588297549),
      sunsetAt: seconds(1588352831),
    });
  },

  'weather-newyork-broken-clouds-night-2020-04-28.body.json': () => {
    const hour = current('weather-newyork-broken-clouds-night-2020-04-28.body.json');
    assert.equal(hour.temperatureC, 6.54);
    assert.equal(hour.pressureSeaLevelHpa, 1019);
    assert.equal(hour.windSpeedMs, 2.6);
    assert.equal(hour.windDirectionDeg, null, 'no wind.deg in the reply: unknown, not 0');
    assert.equal(hour.cloudCover.total, 0.75);
    assert.equal(hour.visibilityM, 16093);
    assert.deepEqual(hour.precipitation, { rateMmPerHour: 0, kind: null });
    assert.equal(hour.wmoCode, 2);
  },

  'weather-newyork-overcast-night-2020-04-28.body.json': () => {
    const hour = current('weather-newyork-overcast-night-2020-04-28.body.json');
    assert.equal(hour.temperatureC, 6.71);
    assert.equal(hour.humidityPercent, 75);
    assert.equal(hour.windSpeedMs, 2.1);
    assert.equal(hour.cloudCover.total, 0.9);
    assert.equal(hour.wmoCode, 3);
    assert.equal(hour.sunsetAt, seconds(1588031269));
  },

  [ZOCCA]: () => {
    const reply = parseOpenWeatherMapCurrent(readReply(ZOCCA), KELVIN);
    assert.equal(reply.latitude, 44.34);
    assert.equal(reply.longitude, 10.99);
    assert.deepEqual(reply.observation, {
      validAt: seconds(1661870592),
      temperatureC: 25.33,
      pressureSeaLevelHpa: 1015,
      humidityPercent: 64,
      windSpeedMs: 0.62,
      windDirectionDeg: 349,
      windGustMs: 1.18,
      cloudCover: { total: 1, low: null, mid: null, high: null },
      precipitation: { rateMmPerHour: 3.16, kind: 'rain' },
      visibilityM: 10000,
      wmoCode: 63,
      sunriseAt: seconds(1661834187),
      sunsetAt: seconds(1661882248),
    });
  },
};

test('every stored OpenWeatherMap file has an expectation', () => {
  const files = readdirSync(REPLIES_DIR).filter((name) => !name.startsWith('SOURCE'));
  assert.ok(files.length >= 13, `found ${files.length} files`);
  assert.deepEqual(files.sort(), Object.keys(EXPECTATIONS).sort());
});

for (const [file, check] of Object.entries(EXPECTATIONS)) {
  test(`stored reply ${file} gives its values or its typed error`, check);
}

test('W1: rain that comes and goes reads as a rate, 0 when the condition says dry', () => {
  const reply = replyJson(ZOCCA);
  const rateOf = (rain: unknown, conditionId: number | null): number | null => {
    if (rain === undefined) delete reply.rain;
    else reply.rain = rain;
    if (conditionId === null) delete reply.weather;
    else reply.weather = [{ id: conditionId, main: '', description: '', icon: '' }];
    const observation = parseOpenWeatherMapCurrent(JSON.stringify(reply), KELVIN).observation;
    return observation.precipitation.rateMmPerHour;
  };

  assert.equal(rateOf({ '1h': 4.52 }, 501), 4.52);
  assert.equal(rateOf(undefined, 804), 0, 'the rain key gone under clouds: nothing falls');
  assert.equal(rateOf({ '3h': 0.12 }, 500), 0.04, 'a 3-hour amount spread over its hours');
  assert.equal(rateOf({}, 500), 0);
  assert.equal(rateOf({ '1h': 2, '3h': 9 }, 501), 2, 'the last hour wins over three');
  assert.equal(rateOf(undefined, 501), null, 'raining but no amount sent: unknown');
  assert.equal(rateOf(undefined, null), null, 'no condition and no amount: unknown');
  assert.equal(rateOf(undefined, 741), 0, 'fog: nothing falls');
});

test('W1: snow reads the same way, and rain and snow together add up', () => {
  const reply = replyJson(MOSCOW);
  const rateOf = (snow: unknown, rain: unknown, conditionId: number) => {
    reply.snow = snow;
    reply.rain = rain;
    reply.weather = [{ id: conditionId }];
    const { precipitation } = parseOpenWeatherMapCurrent(JSON.stringify(reply)).observation;
    assert.equal(precipitation.kind, 'snow', 'condition 6xx, or snow under a clear sky');
    return precipitation.rateMmPerHour;
  };

  assert.equal(rateOf({ '1h': 0.2 }, undefined, 600), 0.2);
  assert.equal(rateOf({ '3h': 0.3 }, undefined, 601), 0.1);
  assert.equal(rateOf({}, undefined, 600), 0);
  assert.equal(rateOf(undefined, undefined, 600), null);
  assert.equal(rateOf({ '1h': 0.2 }, { '1h': 0.1 }, 616), 0.3);
  assert.equal(rateOf({ '1h': 0.5 }, undefined, 800), 0.5, 'an amount says what fell');
});

test('W1: the rain of a One Call hour is read like the current block', () => {
  const reply = replyJson(PHOENIX);
  reply.hourly[2].rain = { '1h': 4.52 };
  reply.hourly[2].weather = [{ id: 501 }];
  reply.hourly[3].weather = [{ id: 520 }];

  const hours = parseOpenWeatherMapOneCall(JSON.stringify(reply), KELVIN).hours;
  assert.deepEqual(hours[2]?.precipitation, { rateMmPerHour: 4.52, kind: 'rain' });
  assert.deepEqual(hours[3]?.precipitation, { rateMmPerHour: null, kind: 'showers' });
  assert.deepEqual(hours[4]?.precipitation, { rateMmPerHour: 0, kind: null });
});

test('no parsed value of any stored reply is NaN', () => {
  const observations = [
    ...[ZOCCA, LONDON_LIGHT_DAY].map((file) => current(file)),
    current(MOSCOW, {}),
    ...parseOpenWeatherMapOneCall(readReply(PHOENIX), KELVIN).hours,
  ];
  for (const observation of observations) {
    const numbers = JSON.stringify(observation, (_key, value: unknown) => {
      assert.ok(!(typeof value === 'number' && Number.isNaN(value)), JSON.stringify(observation));
      return value;
    });
    assert.ok(!numbers.includes('NaN'));
  }
});

test('W9: a Kelvin reply read as metric is malformed and says it seems to be in Kelvin', () => {
  const error = expectReplyError(
    () => parseOpenWeatherMapCurrent(readReply(LONDON_LIGHT_DAY)),
    'malformed',
    'main.temp',
  );
  assert.match(error.message, /287\.23 °C is implausible: the reply seems to be in Kelvin/);
  assert.ok(error.message.includes('units=metric'), error.message);

  const oneCall = expectReplyError(
    () => parseOpenWeatherMapOneCall(readReply(PHOENIX)),
    'malformed',
    'current.temp',
  );
  assert.match(oneCall.message, /seems to be in Kelvin/);
});

test('W9: a metric reply read as Kelvin is malformed and says it seems to be in °C', () => {
  const error = expectReplyError(
    () => parseOpenWeatherMapCurrent(readReply(MOSCOW), KELVIN),
    'malformed',
    'main.temp',
  );
  assert.match(error.message, /seems to be in °C/);
});

test('W9: values out of their plausible range name their field', () => {
  const reply = replyJson(MOSCOW);
  const parse = (edited: unknown) => () => parseOpenWeatherMapCurrent(JSON.stringify(edited));
  reply.main.pressure = 101_400;
  expectReplyError(parse(reply), 'malformed', 'main.pressure');

  const clouds = replyJson(MOSCOW);
  clouds.clouds.all = 140;
  expectReplyError(parse(clouds), 'malformed', 'clouds.all');

  const milliseconds = replyJson(MOSCOW);
  milliseconds.dt = 1588338706000;
  expectReplyError(parse(milliseconds), 'malformed', 'dt');

  const hourly = replyJson(PHOENIX);
  hourly.hourly[5].wind_speed = -3;
  expectReplyError(
    () => parseOpenWeatherMapOneCall(JSON.stringify(hourly), KELVIN),
    'malformed',
    'hourly[5].wind_speed',
  );
});

test('cod may be a string: "404" is an error, "200" a success', () => {
  const notFound = expectReplyError(
    () => parseOpenWeatherMapCurrent('{"cod":"404","message":"city not found"}'),
    'not-found',
    'message',
  );
  assert.ok(notFound.message.includes('"city not found"'), notFound.message);

  const reply = replyJson(MOSCOW);
  reply.cod = '200';
  assert.equal(parseOpenWeatherMapCurrent(JSON.stringify(reply)).observation.temperatureC, 12);

  expectReplyError(() => parseOpenWeatherMapCurrent('{"cod":429}'), 'rate-limited', 'cod');
});

test('a 401 is told apart by its text: no One Call subscription, not active, a bad key', () => {
  const subscription =
    '{"cod":401, "message": "Please note that using One Call 3.0 requires a separate ' +
    'subscription to the One Call by Call plan. Learn more here ' +
    'https://openweathermap.org/price."}';
  const parse = () => parseOpenWeatherMapOneCall(subscription);
  expectReplyError(parse, 'plan-lacks-endpoint', 'message');

  const notActive = 'Your API key is not activated yet.';
  assert.equal(classifyOpenWeatherMapError(401, notActive), 'key-not-active');
  assert.equal(classifyOpenWeatherMapError(401, 'Invalid API key. Please see ...'), 'invalid-key');
  assert.equal(classifyOpenWeatherMapError(400, 'wrong latitude'), 'bad-request');
  assert.equal(classifyOpenWeatherMapError(503, ''), 'server-down');
});

test('an error status wins over a body that is not JSON, or one that looks like weather', () => {
  const page = '<html><body>502 Bad Gateway</body></html>';
  expectReplyError(() => parseOpenWeatherMapCurrent(page, { status: 502 }), 'server-down', '');
  expectReplyError(() => parseOpenWeatherMapCurrent(page), 'not-json', '');

  const weather = () => parseOpenWeatherMapCurrent(readReply(MOSCOW), { status: 500 });
  expectReplyError(weather, 'server-down', 'status');
});

test('a wrong-typed or missing field is malformed, naming the field and the value', () => {
  const reply = replyJson(MOSCOW);
  reply.main.temp = '12';
  const error = expectReplyError(
    () => parseOpenWeatherMapCurrent(JSON.stringify(reply)),
    'malformed',
    'main.temp',
  );
  assert.ok(error.message.includes('(found "12")'), error.message);

  const noTime = replyJson(MOSCOW);
  delete noTime.dt;
  expectReplyError(() => parseOpenWeatherMapCurrent(JSON.stringify(noTime)), 'malformed', 'dt');

  const currentAsOneCall = readReply(MOSCOW);
  expectReplyError(() => parseOpenWeatherMapOneCall(currentAsOneCall), 'malformed', 'lat');
});

test('condition ids map to precipitation kinds by group, and WMO codes that agree', () => {
  const kindOf = (id: number) => openWeatherMapCondition(id)?.kind;
  assert.equal(kindOf(211), 'thunder');
  assert.equal(kindOf(301), 'drizzle');
  assert.equal(kindOf(501), 'rain');
  assert.equal(kindOf(511), 'freezing');
  assert.equal(kindOf(521), 'showers');
  assert.equal(kindOf(601), 'snow');
  assert.equal(kindOf(741), null);
  assert.equal(openWeatherMapCondition(741)?.wmoCode, 45);
  assert.equal(openWeatherMapCondition(800)?.wmoCode, 0);
  assert.equal(openWeatherMapCondition(804)?.wmoCode, 3);
  const unknownRain = { text: 'unknown condition 599', kind: 'rain', wmoCode: null };
  assert.deepEqual(openWeatherMapCondition(599), unknownRain);
  assert.equal(openWeatherMapCondition(0), null);
  assert.equal(openWeatherMapCondition(950), null);

  for (const [id, entry] of Object.entries(OPENWEATHERMAP_CONDITIONS)) {
    assert.ok(entry.wmoCode !== null, `id ${id} has a WMO code`);
    const falling = isPrecipitatingWmo(entry.wmoCode);
    const label = `id ${id} (${entry.text}) and WMO ${entry.wmoCode}`;
    assert.equal(falling, entry.kind !== null, label);
  }
});

test('with several conditions, the first one that falls decides (mist then rain is rain)', () => {
  const reply = replyJson(MOSCOW);
  reply.weather = [{ id: 701 }, { id: 500 }];
  reply.rain = { '1h': 0.4 };
  const observation = parseOpenWeatherMapCurrent(JSON.stringify(reply)).observation;
  assert.deepEqual(observation.precipitation, { rateMmPerHour: 0.4, kind: 'rain' });
  assert.equal(observation.wmoCode, 61);
});

test('request URLs ask for metric units with the key as appid, and scrub to no key', () => {
  const place = { latitude: 51.2, longitude: 3.22 };
  const url = openWeatherMapRequestUrl('current', place, 'k3y#secret');
  const query = 'lat=51.2&lon=3.22&units=metric&appid=k3y%23secret';
  assert.equal(url, `https://api.openweathermap.org/data/2.5/weather?${query}`);
  assert.ok(!scrubSecrets(url).includes('k3y'), scrubSecrets(url));

  const oneCall = new URL(openWeatherMapRequestUrl('onecall', place, 'abc'));
  assert.equal(oneCall.pathname, '/data/3.0/onecall');
  assert.equal(oneCall.searchParams.get('units'), 'metric');
  assert.equal(oneCall.searchParams.get('exclude'), 'minutely,alerts');
  assert.equal(oneCall.searchParams.get('appid'), 'abc');

  const offTheGlobe = { latitude: 91, longitude: 0 };
  assert.throws(() => openWeatherMapRequestUrl('current', offTheGlobe, 'abc'), RangeError);
  assert.throws(() => openWeatherMapRequestUrl('current', place, ' '), RangeError);
});

test('the existing callers of WeatherReplyError still get an error without a kind', () => {
  const error = new WeatherReplyError('open-meteo', 'reason', 'x', 'the provider said no');
  assert.equal(error.kind, undefined);
  assert.equal(error.message, 'open-meteo reply: reason: the provider said no (found "x")');
});
