import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SeededRandom } from '../../src/composer/random.js';
import { VirtualClock } from '../../src/time/clock.js';
import type { WeatherFailure, FetchedReply } from '../../src/weather/fetch-reply.js';
import { WeatherPoller, type WeatherPollerOptions, type WeatherSource } from '../../src/weather/poller.js';
import { openMeteoForecastUrl } from '../../src/weather/request-urls.js';
import { parseOpenMeteo } from '../../src/weather/open-meteo.js';
import { memoryLogger } from '../support/logs.js';
import { SHARED_DIR } from '../support/paths.js';

const GOOD_BODY = readFileSync(join(SHARED_DIR, 'weather/open-meteo/forecast-amsterdam-trimmed-tempi.json'), 'utf8');
const OWM_401_BODY = readFileSync(join(SHARED_DIR, 'weather/openweathermap/error-401-invalid-api-key.body.json'), 'utf8');
const START = Date.parse('2026-07-11T20:00:00Z');
const DAY_MS = 86_400_000;
const AMSTERDAM = { latitude: 52.366, longitude: 4.901 };
/** The poller's defaults, restated so the assertions read on their own. */
const FLOOR_MS = 60_000;
const MAX_MS = 3_600_000;

type Answer = (response: ServerResponse, request: IncomingMessage) => void;

const json: Answer = (response) => {
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  response.end(GOOD_BODY);
};
const status = (code: number, body: string, contentType: string): Answer => (response) => {
  response.writeHead(code, { 'content-type': contentType });
  response.end(body);
};
const reset: Answer = (response) => response.socket?.destroy();
const MAINTENANCE_PAGE = '<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head>' +
  '<body><h1>Down for maintenance</h1></body></html>';

/** Case W4's server: answers in turn, then keeps giving good JSON. */
const W4_STEPS: Answer[] = [
  json,
  status(429, '{"error":true,"reason":"Too many requests"}', 'application/json'),
  status(503, MAINTENANCE_PAGE, 'text/html'),
  status(200, '404 Not Found', 'text/plain'),
  reset,
  json,
];

interface Served {
  /** Virtual instant of each request. */
  at: number;
  url: string;
}

/**
 * A loopback server answering the n-th request with steps[n] (the last step repeats), noting
 * each request's virtual instant.
 */
async function serve(clock: VirtualClock, steps: Answer[]) {
  const served: Served[] = [];
  const server = createServer((request, response) => {
    const step = steps[Math.min(served.length, steps.length - 1)]!;
    served.push({ at: clock.now(), url: request.url ?? '' });
    step(response, request);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return { served, base, close };
}

function setUp(sources: WeatherSource[], clock: VirtualClock, extra: Partial<WeatherPollerOptions> = {}) {
  const { log, lines } = memoryLogger('debug');
  const replies: FetchedReply[] = [];
  const failures: WeatherFailure[] = [];
  const poller = new WeatherPoller({
    sources,
    clock,
    log,
    random: (() => {
      const random = new SeededRandom(7);
      return () => random.next();
    })(),
    onReply: (reply) => void replies.push(reply),
    onFailure: (failure) => void failures.push(failure),
    timeoutMs: 2000,
    ...extra,
  });
  return { poller, replies, failures, lines };
}

const openMeteo = (base: string): WeatherSource => ({
  provider: 'open-meteo',
  url: (atMs) => openMeteoForecastUrl(AMSTERDAM, atMs, { baseUrl: `${base}/v1/forecast` }),
  check: (body) => void parseOpenMeteo(body),
});

const gaps = (served: Served[]) => served.slice(1).map((request, i) => request.at - served[i]!.at);
const messages = (lines: Array<Record<string, unknown>>, level: number) =>
  lines.filter((line) => line.level === level).map((line) => String(line.msg));

test('W4: over a simulated day the poller never stops or spins, and data flows again', async () => {
  const clock = new VirtualClock(START);
  const server = await serve(clock, W4_STEPS);
  const { poller, replies, failures, lines } = setUp([openMeteo(server.base)], clock);

  try {
    poller.start();
    await clock.advanceTo(START + DAY_MS);
  } finally {
    poller.stop();
    await server.close();
  }

  const kinds = failures.map((failure) => failure.kind);
  assert.deepEqual(kinds, ['rate-limited', 'server-down', 'not-json', 'network']);
  assert.match(failures[1]!.reason, /HTTP 503 \(text\/html\): 503 Service Unavailable Down for maintenance/);
  assert.match(failures[2]!.reason, /HTTP 200 \(text\/plain\): 404 Not Found/);

  // 144 polls a day at 600 s, a few fewer for the long waits; far inside the free 10,000.
  assert.ok(server.served.length <= 144 + 4, `${server.served.length} requests`);
  assert.ok(server.served.length >= 130, `${server.served.length} requests`);

  for (const gap of gaps(server.served)) {
    assert.ok(gap >= FLOOR_MS && gap <= MAX_MS, `a wait of ${gap / 1000} s`);
  }
  assert.equal(gaps(server.served)[1], MAX_MS, 'rate-limited waits the longest');

  assert.equal(replies.length, server.served.length - 4);
  const last = replies.at(-1)!;
  assert.equal(last.body, GOOD_BODY, 'the body is kept byte for byte');
  assert.equal(last.contentType, 'application/json; charset=utf-8');
  assert.equal(poller.lastGoodAt, server.served.at(-1)!.at);
  assert.equal(poller.stale, false);

  // Dates in the URL follow the poll, not the start.
  const dates = server.served.map((request) => new URL(request.url, server.base).searchParams.get('start_date'));
  const midnight = Date.parse('2026-07-12T00:00:00Z');
  server.served.forEach((request, i) => {
    assert.equal(dates[i], request.at < midnight ? '2026-07-11' : '2026-07-12', `request at ${request.at}`);
  });

  const failing = messages(lines, 40).filter((msg) => msg.startsWith('weather provider failing'));
  assert.equal(failing.length, 4, 'one warn line per change of state');
  // An hour's wait after the 429 outlives the 30-minute age limit: stale once, fresh once.
  assert.equal(messages(lines, 40).filter((msg) => msg.startsWith('weather is stale')).length, 1);
  assert.deepEqual(messages(lines, 30).filter((msg) => msg.includes('answers again')), ['weather provider answers again']);
});

test('a run of 50 identical failures is one warn line and one recovery line, with backoff inside its bounds', async () => {
  const clock = new VirtualClock(START);
  const steps: Answer[] = [...Array(50).fill(status(503, MAINTENANCE_PAGE, 'text/html')), json];
  const server = await serve(clock, steps);
  const { poller, replies, lines } = setUp([openMeteo(server.base)], clock);

  try {
    poller.start();
    await clock.advanceTo(START + 7 * DAY_MS);
  } finally {
    poller.stop();
    await server.close();
  }

  assert.ok(replies.length > 0, 'data flows after the outage');
  const warns = lines.filter((line) => line.level === 40);
  assert.equal(warns.length, 2, JSON.stringify(warns)); // the failure, and the stale warning
  assert.equal(warns[0]!.kind, 'server-down');
  assert.equal(warns[1]!.msg, 'weather is stale: no good reply for a while');
  const recovered = lines.filter((line) => line.msg === 'weather provider answers again');
  assert.equal(recovered.length, 1);
  assert.equal(recovered[0]!.failures, 50);

  const outage = gaps(server.served).slice(0, 50);
  for (const gap of outage) assert.ok(gap >= FLOOR_MS && gap <= MAX_MS, `a wait of ${gap / 1000} s`);
  const lateMeanMs = outage.slice(10).reduce((sum, gap) => sum + gap, 0) / 40;
  assert.ok(lateMeanMs > 1_200_000, `the backoff grew: mean late wait ${lateMeanMs / 1000} s`);
  outage.slice(0, 5).forEach((gap, i) => {
    assert.ok(gap <= FLOOR_MS * 2 ** (i + 1), `retry ${i + 1} waits at most floor x 2^${i + 1}: ${gap / 1000} s`);
  });
  assert.ok(new Set(outage).size > 40, 'waits are jittered');
});

test('an API key in the URL never reaches a log line or a failure reason', async () => {
  const clock = new VirtualClock(START);
  const secret = 'c0ffee1234567890deadbeef';
  const refusing = await serve(clock, [status(401, OWM_401_BODY, 'application/json; charset=utf-8')]);
  const silent = createServer(() => {}); // never answers: a timeout
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const silentPort = (silent.address() as AddressInfo).port;
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const closedPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve())); // refused from now on

  const source = (provider: string, base: string): WeatherSource => ({
    provider,
    url: () => `${base}/data/2.5/weather?lat=52.37&lon=4.9&units=metric&appid=${secret}`,
  });
  const { poller, failures, lines } = setUp([
    source('owm-refusing', refusing.base),
    source('owm-refused', `http://127.0.0.1:${closedPort}`),
    source('owm-silent', `http://127.0.0.1:${silentPort}`),
  ], clock, { timeoutMs: 200, onReply: () => { throw new Error(`handler saw appid=${secret}`); } });

  try {
    poller.start();
    await clock.advanceTo(START + 2 * 3_600_000);
  } finally {
    poller.stop();
    await refusing.close();
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  }

  assert.deepEqual(
    [...new Set(failures.map((failure) => `${failure.provider} ${failure.kind}`))],
    ['owm-refusing invalid-key', 'owm-refused network', 'owm-silent network'],
  );
  assert.match(failures[0]!.reason, /Invalid API key/);
  assert.match(failures[2]!.reason, /timeout|ECONNABORTED/i);
  const everything = JSON.stringify(lines) + JSON.stringify(failures.map((failure) => failure.reason));
  assert.ok(lines.length > 0);
  assert.ok(!everything.includes(secret), 'the key leaked');

  const refusals = refusing.served.map((request) => request.at);
  assert.deepEqual(gaps(refusing.served), Array(refusals.length - 1).fill(1_800_000), 'a refused key is retried slowly');
});

test('a rate-limited account is asked once per maximum backoff, never in a tight loop', async () => {
  const clock = new VirtualClock(START);
  const server = await serve(clock, [status(429, 'Too Many Requests', 'text/plain')]);
  const { poller, lines } = setUp([openMeteo(server.base)], clock);

  try {
    poller.start();
    await clock.advanceTo(START + DAY_MS);
  } finally {
    poller.stop();
    await server.close();
  }

  assert.equal(server.served.length, 25);
  assert.ok(gaps(server.served).every((gap) => gap === MAX_MS));
  assert.equal(lines.filter((line) => line.kind === 'rate-limited' && line.level === 40).length, 1);
});

test('a handler that throws is logged once and polling goes on', async () => {
  const clock = new VirtualClock(START);
  const server = await serve(clock, [json]);
  let calls = 0;
  const { poller, lines } = setUp([openMeteo(server.base)], clock, {
    onReply: () => {
      calls++;
      throw new Error('stage exploded');
    },
  });

  try {
    poller.start();
    await clock.advanceTo(START + 3_600_000);
  } finally {
    poller.stop();
    await server.close();
  }

  assert.equal(calls, 7);
  assert.equal(server.served.length, 7);
  assert.equal(lines.filter((line) => line.msg === 'weather reply handler threw; polling goes on').length, 1);
  assert.equal(clock.pendingCount, 0, 'stop() leaves nothing scheduled');
});

test('a second source carries the music while the first is down, and the first is retried on its backoff', async () => {
  const clock = new VirtualClock(START);
  const primary = await serve(clock, [reset]);
  const fallback = await serve(clock, [json]);
  const stale: boolean[] = [];
  const { poller, replies } = setUp(
    [openMeteo(primary.base), { ...openMeteo(fallback.base), provider: 'open-meteo-mirror' }],
    clock,
    { onStaleChanged: (isStale) => void stale.push(isStale) },
  );

  try {
    poller.start();
    await clock.advanceTo(START + 6 * 3_600_000);
  } finally {
    poller.stop();
    await primary.close();
    await fallback.close();
  }

  assert.ok(replies.length >= 36, `${replies.length} replies`);
  assert.ok(replies.every((reply) => reply.provider === 'open-meteo-mirror'));
  assert.ok(primary.served.length < 36, 'the failing source is not asked more often than the interval');
  assert.ok(gaps(primary.served).every((gap) => gap >= FLOOR_MS && gap <= MAX_MS));
  assert.deepEqual(poller.failing, { 'open-meteo': 'network', 'open-meteo-mirror': null });
  assert.deepEqual(stale, []);
});

test('the reply in force turns stale after its age limit and fresh with the next good reply', async () => {
  const clock = new VirtualClock(START);
  const steps: Answer[] = [json, ...Array(30).fill(status(500, 'oops', 'text/plain')), json];
  const server = await serve(clock, steps);
  const changes: Array<[boolean, number]> = [];
  const { poller } = setUp([openMeteo(server.base)], clock, {
    staleAfterS: 7200,
    onStaleChanged: (isStale, atMs) => void changes.push([isStale, atMs]),
  });

  try {
    poller.start();
    await clock.advanceTo(START + 7200_000 - 1);
    assert.equal(poller.stale, false);
    await clock.advanceTo(START + 7200_000);
    assert.equal(poller.stale, true);
    assert.equal(poller.lastGoodAt, START);
    await clock.advanceTo(START + 3 * DAY_MS);
  } finally {
    poller.stop();
    await server.close();
  }

  assert.deepEqual(changes.map(([isStale]) => isStale), [true, false]);
  assert.equal(changes[0]![1], START + 7200_000);
  assert.equal(poller.stale, false);
});
