import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { StreamFanOut } from '../../src/output/fan-out.js';
import { SkyServer } from '../../src/server/http-server.js';
import { silentLogger } from '../../src/log.js';

async function get(port: number, path: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (text: string) => { body += text; });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, type: String(response.headers['content-type']), body }));
    }).on('error', reject).end();
  });
}

test('the server answers /status as JSON, streams at /stream and says 404 elsewhere', async () => {
  const fanOut = new StreamFanOut(silentLogger());
  const server = new SkyServer({
    host: '127.0.0.1',
    port: 0,
    stream: { fanOut, contentType: 'audio/mpeg' },
    status: () => ({ listeners: fanOut.size }),
    log: silentLogger(),
  });
  const { port } = await server.start();

  try {
    const status = await get(port, '/status');
    assert.equal(status.status, 200);
    assert.equal(status.type, 'application/json');
    assert.deepEqual(JSON.parse(status.body), { listeners: 0 });

    const missing = await get(port, '/control');
    assert.equal(missing.status, 404);

    const streamed = new Promise<Buffer>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/stream' }, (response) => {
        assert.equal(response.headers['content-type'], 'audio/mpeg');
        const parts: Buffer[] = [];
        response.on('data', (part: Buffer) => parts.push(part));
        response.on('end', () => resolve(Buffer.concat(parts)));
      }).on('error', reject).end();
    });
    while (fanOut.size === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    fanOut.broadcast(Buffer.from('first'));
    fanOut.broadcast(Buffer.from(' second'));
    fanOut.endAll();
    assert.equal((await streamed).toString(), 'first second');
  } finally {
    await server.close();
  }
});
