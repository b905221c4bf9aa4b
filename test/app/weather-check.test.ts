import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { checkWeather } from '../../src/app/weather-check.js';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/log.js';
import { VirtualClock } from '../../src/time/clock.js';
import { configuredProviders, weatherRequestUrl } from '../../src/weather/sources.js';
import { SHARED_DIR } from '../support/paths.js';

const OWM_DIR = join(SHARED_DIR, 'weather/openweathermap');
const MOSCOW = readFileSync(join(OWM_DIR, 'weather-moscow-clear-ru-metric-2020-05-01.body.json'), 'utf8');
const REFUSED = readFileSync(join(OWM_DIR, 'error-401-invalid-api-key.body.json'), 'utf8');
const MOSCOW_AT = (JSON.parse(MOSCOW) as { dt: number }).dt * 1000;
const KEY = 'test-key-9876';

/** A local provider answering every request with `status` and `body`; records the URLs asked. */
async function provider(status: number, body: string): Promise<{ server: Server; base: string; asked: string[] }> {
  const asked: string[] = [];
  const server = createServer((request, response) => {
    asked.push(request.url ?? '');
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, base: `http://127.0.0.1:${port}/data/2.5/weather`, asked };
}

function owmConfig(baseUrl: string) {
  return loadConfig({
    sets: ['weather.provider=openweathermap', `weather.baseUrl=${baseUrl}`, 'place.latitude=55.75', 'place.longitude=37.62'],
    env: { SKYCHOIR_WEATHER_API_KEY: KEY },
  });
}

test('a weather check asks once in metric units and shows what the composer would be told, key masked', async () => {
  const { server, base, asked } = await provider(200, MOSCOW);
  try {
    const check = await checkWeather(owmConfig(base), new VirtualClock(MOSCOW_AT), silentLogger());

    assert.equal(asked.length, 1);
    assert.match(asked[0]!, /units=metric/);
    assert.match(asked[0]!, new RegExp(`appid=${KEY}`), 'the key is sent');
    assert.ok(!check.url.includes(KEY), `the key is not shown: ${check.url}`);
    assert.equal(check.status, 200);
    assert.equal(check.failure, null);

    const names = check.events.map((event) => event.name);
    assert.deepEqual(names, ['weather.observed', 'sun.phase.changed']);
    const observed = check.events[0]!;
    assert.ok(observed.name === 'weather.observed');
    assert.equal(observed.payload.provider, 'openweathermap');
    assert.equal(observed.payload.observation.validAt, MOSCOW_AT);
  } finally {
    server.close();
  }
});

test('a refused key is a typed failure with the provider\'s reason, and the stage rejects the reply', async () => {
  const { server, base } = await provider(401, REFUSED);
  try {
    const check = await checkWeather(owmConfig(base), new VirtualClock(MOSCOW_AT), silentLogger());

    assert.equal(check.status, 401);
    assert.equal(check.failure?.kind, 'invalid-key');
    assert.ok(!JSON.stringify(check).includes(KEY), 'no key anywhere in the result');
    assert.deepEqual(check.events.map((event) => event.name), ['weather.rejected', 'sun.phase.changed']);
  } finally {
    server.close();
  }
});

test('the configured provider is asked first, then its fallback; the endpoint override is the first one\'s only', () => {
  const config = loadConfig({
    sets: ['weather.provider=openweathermap', 'weather.fallbackProvider=open-meteo', 'weather.baseUrl=http://127.0.0.1:9/owm'],
    env: { SKYCHOIR_WEATHER_API_KEY: KEY },
  });

  assert.deepEqual(configuredProviders(config), ['openweathermap', 'open-meteo']);
  assert.match(weatherRequestUrl(config, MOSCOW_AT), /^http:\/\/127\.0\.0\.1:9\/owm\?.*units=metric/);
  assert.match(weatherRequestUrl(config, MOSCOW_AT, 'open-meteo'), /^https:\/\/api\.open-meteo\.com\/v1\/forecast\?latitude=/);
  assert.deepEqual(configuredProviders(loadConfig()), ['open-meteo']);
});
