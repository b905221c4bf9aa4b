import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VirtualClock } from '../../src/time/clock.js';
import { classifyReply, fetchWeatherReply } from '../../src/weather/fetch-reply.js';
import { openMeteoForecastUrl } from '../../src/weather/request-urls.js';

const ONE_CALL_401 = '{"cod":401, "message": "Please note that using One Call 3.0 requires a separate ' +
  'subscription to the One Call by Call plan. Learn more here https://openweathermap.org/price."}';

test('statuses and bodies are classified into the failure kinds', () => {
  const cases: Array<[number, string, string | null]> = [
    [200, '{"latitude":52.4}', null],
    [200, '<!DOCTYPE html><html><body>Maintenance</body></html>', 'not-json'],
    [200, '404 Not Found', 'not-json'],
    [200, '', 'not-json'],
    [401, '{"cod":401, "message": "Invalid API key. Please see http://openweathermap.org/faq#error401"}', 'invalid-key'],
    [401, ONE_CALL_401, 'plan-lacks-endpoint'],
    [401, '{"message":"API key is not activated yet"}', 'key-not-active'],
    [403, 'Forbidden', 'plan-lacks-endpoint'],
    [429, '{"cod":429}', 'rate-limited'],
    [404, '{"cod":"404","message":"city not found"}', 'not-found'],
    [400, '{"error":true,"reason":"Parameter \'start_date\' is out of allowed range"}', 'bad-request'],
    [503, '<html>down</html>', 'server-down'],
    [502, '', 'server-down'],
  ];
  for (const [status, body, kind] of cases) assert.equal(classifyReply(status, body), kind, `${status} ${body}`);
});

test('a body is kept exactly as sent, with its status and content type', async () => {
  const body = '{ "a" : 1,\n  "name": "Zürich \\u00b0C", "big": 12345678901234567890 }\n';
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  try {
    const outcome = await fetchWeatherReply({ provider: 'open-meteo', url, clock: new VirtualClock(1234) });
    assert.deepEqual(outcome, {
      ok: true,
      reply: { provider: 'open-meteo', receivedAt: 1234, body, status: 200, contentType: 'application/json' },
    });
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('the Open-Meteo URL carries the poll\'s own UTC dates and asks for GMT times', () => {
  const place = { latitude: 51.2, longitude: 3.2 };
  const early = new URL(openMeteoForecastUrl(place, Date.parse('2025-10-25T23:59:00Z')));
  const late = new URL(openMeteoForecastUrl(place, Date.parse('2025-10-26T00:01:00Z'), { days: 1 }));
  assert.equal(early.searchParams.get('start_date'), '2025-10-25');
  assert.equal(early.searchParams.get('end_date'), '2025-10-26');
  assert.equal(late.searchParams.get('start_date'), '2025-10-26');
  assert.equal(late.searchParams.get('end_date'), '2025-10-26');
  assert.equal(early.searchParams.get('timezone'), 'GMT');
  assert.throws(() => openMeteoForecastUrl({ latitude: 91, longitude: 0 }, 0), /not on the globe/);
});
