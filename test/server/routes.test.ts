import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { StreamFanOut } from '../../src/output/fan-out.js';
import { SkyServer, type SkyServerOptions } from '../../src/server/http-server.js';
import { silentLogger } from '../../src/log.js';
import { memoryLogger } from '../support/logs.js';

/** A server on a free loopback port with the given options over a plain MP3 stream; closed after `use`. */
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

test('GET /frame.png says 404 in words before the first frame, then serves the latest PNG uncached', async () => {
  let latest: Buffer | null = null;
  await withServer({ framePng: () => latest }, async (base) => {
    const before = await fetch(`${base}/frame.png?t=1`);
    assert.equal(before.status, 404);
    assert.equal(before.headers.get('cache-control'), 'no-store');
    assert.match(await before.text(), /no frame yet/);

    latest = await sharp({ create: { width: 8, height: 6, channels: 3, background: '#336699' } }).png().toBuffer();
    const after = await fetch(`${base}/frame.png?t=2`);
    assert.equal(after.status, 200);
    assert.equal(after.headers.get('content-type'), 'image/png');
    assert.equal(after.headers.get('cache-control'), 'no-store');
    const png = Buffer.from(await after.arrayBuffer());
    assert.deepEqual(png, latest);
    assert.deepEqual(await sharp(png).metadata().then(({ width, height }) => ({ width, height })), { width: 8, height: 6 });
  });
});

test('/frame.png and /metrics are not served when their callbacks are not given', async () => {
  await withServer({}, async (base) => {
    for (const path of ['/frame.png', '/metrics', '/']) {
      const response = await fetch(`${base}${path}`);
      assert.equal(response.status, 404, path);
      assert.equal(await response.text(), `not found: ${path}; served here: /stream.mp3 /status /control/gain\n`);
    }
  });
});

test('GET /metrics answers what the metrics callback gives, and a failing callback gives 500 with its reason', async () => {
  let fail = false;
  const metrics = async (): Promise<{ contentType: string; body: string }> => {
    if (fail) throw new Error('registry broke at rtsp://admin:hunter2@cam.local/live');
    return { contentType: 'text/plain; version=0.0.4; charset=utf-8', body: 'skychoir_listeners{stream="mp3"} 3\n' };
  };
  const { log, lines } = memoryLogger();
  await withServer({ metrics, log }, async (base) => {
    const ok = await fetch(`${base}/metrics`);
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    assert.equal(await ok.text(), 'skychoir_listeners{stream="mp3"} 3\n');

    fail = true;
    const failed = await fetch(`${base}/metrics`);
    assert.equal(failed.status, 500);
    const text = await failed.text();
    assert.match(text, /^\/metrics failed: registry broke at rtsp:\/\/admin:\*\*\*@cam.local\/live/);
  });
  assert.ok(lines.some((line) => line.msg === 'request failed' && line.path === '/metrics'));
  assert.ok(!JSON.stringify(lines).includes('hunter2'), 'the password never reaches the log');
});

test('GET /status is JSON with every string scrubbed of secrets, and a failing status callback gives 500', async () => {
  let broken = false;
  const status = (): unknown => {
    if (broken) throw new Error('no status yet');
    return {
      sources: [{ name: 'camera', status: 'online', detail: 'rtsp://admin:hunter2@cam.local:554/live', since: new Date(Date.UTC(2024, 5, 1, 4)) }],
      nested: [[{ url: 'https://api.example.org/weather?appid=0123456789abcdef&q=Bruges' }]],
      count: 3,
      off: null,
    };
  };
  await withServer({ status }, async (base) => {
    const response = await fetch(`${base}/status`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await response.json(), {
      sources: [{ name: 'camera', status: 'online', detail: 'rtsp://admin:***@cam.local:554/live', since: '2024-06-01T04:00:00.000Z' }],
      nested: [[{ url: 'https://api.example.org/weather?appid=***&q=Bruges' }]],
      count: 3,
      off: null,
    });

    broken = true;
    const failed = await fetch(`${base}/status`);
    assert.equal(failed.status, 500);
    assert.equal(await failed.text(), '/status failed: no status yet\n');
  });
});

test('other methods on served paths get 405 with the methods allowed', async () => {
  await withServer({ dashboard: true, framePng: () => null }, async (base) => {
    const cases: Array<[string, string, string]> = [
      ['HEAD', '/status', 'GET'],
      ['POST', '/status', 'GET'],
      ['PUT', '/stream.mp3', 'GET'],
      ['DELETE', '/frame.png', 'GET'],
      ['POST', '/', 'GET'],
      ['GET', '/control/gain', 'POST'],
      ['HEAD', '/control/gain', 'POST'],
    ];
    for (const [method, path, allowed] of cases) {
      const response = await fetch(`${base}${path}`, { method });
      assert.equal(response.status, 405, `${method} ${path}`);
      assert.equal(response.headers.get('allow'), allowed, `${method} ${path}`);
      if (method !== 'HEAD') assert.equal(await response.text(), `${method} is not served at ${path}; use ${allowed}\n`);
    }
  });
});

test('the dashboard page, its script, style and icon are served with a same-origin-only policy', async () => {
  await withServer({ dashboard: true }, async (base) => {
    const page = await fetch(`${base}/`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    const policy = page.headers.get('content-security-policy') ?? '';
    assert.match(policy, /default-src 'none'/);
    assert.match(policy, /connect-src 'self'/);
    assert.doesNotMatch(policy, /unsafe-inline|https?:/);
    const html = await page.text();
    for (const asset of ['/dashboard.css', '/dashboard.js', '/favicon.svg', '/stream.mp3']) assert.ok(html.includes(`"${asset}"`), asset);
    assert.doesNotMatch(html, /https?:\/\/(?!www\.w3\.org)/, 'no external resource');

    const expected: Record<string, string> = {
      '/dashboard.css': 'text/css; charset=utf-8',
      '/dashboard.js': 'text/javascript; charset=utf-8',
      '/favicon.svg': 'image/svg+xml',
    };
    for (const [path, type] of Object.entries(expected)) {
      const response = await fetch(`${base}${path}`);
      assert.equal(response.status, 200, path);
      assert.equal(response.headers.get('content-type'), type, path);
      assert.ok((await response.text()).length > 100, path);
    }

    const script = await (await fetch(`${base}/dashboard.js`)).text();
    assert.doesNotMatch(script, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/, 'data never becomes markup');
    assert.doesNotThrow(() => new Function(script), 'the script parses');
  });
});
