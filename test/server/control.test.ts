import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StreamFanOut } from '../../src/output/fan-out.js';
import { bearerMatches } from '../../src/server/control.js';
import { SkyServer, type SkyServerOptions } from '../../src/server/http-server.js';
import { silentLogger } from '../../src/log.js';
import { memoryLogger } from '../support/logs.js';

const TOKEN = 'k3ep-this-0ne-s3cret';

async function withServer(options: Partial<SkyServerOptions>, use: (base: string) => Promise<void>): Promise<void> {
  const server = new SkyServer({
    host: '127.0.0.1',
    port: 0,
    streams: [{ path: '/stream.mp3', contentType: 'audio/mpeg', fanOut: new StreamFanOut(silentLogger()) }],
    status: () => ({}),
    dashboard: false,
    log: silentLogger(),
    ...options,
  });
  const { port } = await server.start();
  try {
    await use(`http://127.0.0.1:${port}`);
  } finally {
    await server.close();
  }
}

function postGain(base: string, body: string, authorization?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization !== undefined) headers.authorization = authorization;
  return fetch(`${base}/control/gain`, { method: 'POST', headers, body });
}

test('without a token, control is off: 404 saying which setting turns it on', async () => {
  const gains: number[] = [];
  for (const control of [undefined, { token: '', setMasterGainDb: (db: number) => void gains.push(db) }]) {
    await withServer({ control }, async (base) => {
      const response = await postGain(base, '{"db":-6}', 'Bearer ');
      assert.equal(response.status, 404);
      assert.equal(await response.text(), 'control is off (set server.token)\n');
    });
  }
  assert.deepEqual(gains, []);
});

test('a missing or wrong bearer token gets 401 and changes nothing; the token never reaches the log', async () => {
  const gains: number[] = [];
  const { log, lines } = memoryLogger('debug');
  await withServer({ log, control: { token: TOKEN, setMasterGainDb: (db) => void gains.push(db) } }, async (base) => {
    const refused = [undefined, '', 'Bearer', `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`, TOKEN, `Bearer ${TOKEN.toUpperCase()}`];
    for (const authorization of refused) {
      const response = await postGain(base, '{"db":-6}', authorization);
      assert.equal(response.status, 401, String(authorization));
      assert.equal(response.headers.get('www-authenticate'), 'Bearer');
      assert.match(await response.text(), /^unauthorised/);
    }

    const accepted = await postGain(base, '{"db":-6}', `Bearer ${TOKEN}`);
    assert.equal(accepted.status, 200);
  });
  assert.deepEqual(gains, [-6]);
  assert.ok(lines.some((line) => line.msg === 'master gain set' && line.db === -6));
  assert.equal(lines.filter((line) => line.msg === 'control refused: missing or wrong bearer token').length, 8);
  assert.ok(!JSON.stringify(lines).includes(TOKEN.slice(0, 8)), 'no part of the token is logged');
});

test('a bad body gets 400 naming what was wrong, and the gain is not set', async () => {
  const gains: number[] = [];
  await withServer({ control: { token: TOKEN, setMasterGainDb: (db) => void gains.push(db) } }, async (base) => {
    const cases: Array<[string, RegExp]> = [
      ['', /not JSON/],
      ['db=-6', /not JSON/],
      ['{}', /db: .*(expected number|received undefined)/i],
      ['{"db":"-6"}', /db: .*expected number/i],
      ['{"db":-61}', /db: .*>=-60/],
      ['{"db":6.5}', /db: .*<=6/],
      ['{"db":null}', /db: /],
      ['[-6]', /body: .*expected object/i],
      ['{"db":-6,"fade":3}', /unrecognized key.*fade/i],
    ];
    for (const [body, problem] of cases) {
      const response = await postGain(base, body, `Bearer ${TOKEN}`);
      assert.equal(response.status, 400, body);
      const text = await response.text();
      assert.match(text, /^bad body for \/control\/gain: /, body);
      assert.match(text, problem, `${body}: ${text}`);
      assert.match(text, /send \{"db": -6\}/, body);
    }

    const huge = await postGain(base, JSON.stringify({ db: -6, pad: 'x'.repeat(5000) }), `Bearer ${TOKEN}`);
    assert.equal(huge.status, 413);
    assert.match(await huge.text(), /at most 1024/);
  });
  assert.deepEqual(gains, []);
});

test('the right token and a gain in -60..6 set the master gain through the callback', async () => {
  const gains: number[] = [];
  await withServer({ control: { token: TOKEN, setMasterGainDb: (db) => void gains.push(db) } }, async (base) => {
    for (const db of [-60, -12.5, 0, 6]) {
      const response = await postGain(base, JSON.stringify({ db }), `bearer  ${TOKEN}`);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { masterGainDb: db });
    }
  });
  assert.deepEqual(gains, [-60, -12.5, 0, 6]);
});

test('a callback that refuses the gain gives 500 with its reason', async () => {
  const control = { token: TOKEN, setMasterGainDb: () => { throw new Error('the mix is not running'); } };
  await withServer({ control }, async (base) => {
    const response = await postGain(base, '{"db":-3}', `Bearer ${TOKEN}`);
    assert.equal(response.status, 500);
    assert.equal(await response.text(), '/control/gain failed: the mix is not running\n');
  });
});

test('bearerMatches compares the whole token whatever the lengths', () => {
  assert.equal(bearerMatches(`Bearer ${TOKEN}`, TOKEN), true);
  assert.equal(bearerMatches(`Bearer ${TOKEN}`, ''), false);
  assert.equal(bearerMatches('Bearer a', 'ab'), false);
  assert.equal(bearerMatches('Bearer ab', 'a'), false);
  assert.equal(bearerMatches(undefined, TOKEN), false);
  assert.equal(bearerMatches(`Bearer ${TOKEN} extra`, TOKEN), false);
});
