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

test('the server answers /status as JSON, streams each path from its fan-out and says 404 elsewhere with the paths it serves', async () => {
  const fanOut = new StreamFanOut(silentLogger());
  const opusFanOut = new StreamFanOut(silentLogger());
  const server = new SkyServer({
    host: '127.0.0.1',
    port: 0,
    streams: [
      { path: '/stream', contentType: 'audio/mpeg', fanOut },
      { path: '/stream.opus', contentType: 'audio/ogg', fanOut: opusFanOut },
    ],
    status: () => ({ listeners: fanOut.size }),
    dashboard: false,
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
    assert.equal(missing.body, 'not found: /control; served here: /stream /stream.opus /status /control/gain\n');

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

    const opus = new Promise<{ type: string; body: string }>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/stream.opus' }, (response) => {
        let body = '';
        response.on('data', (part: Buffer) => { body += part.toString(); });
        response.on('end', () => resolve({ type: String(response.headers['content-type']), body }));
      }).on('error', reject).end();
    });
    while (opusFanOut.size === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(fanOut.size, 0, 'the opus listener joined only the opus fan-out');
    opusFanOut.broadcast(Buffer.from('OggS'));
    await server.close();
    assert.deepEqual(await opus, { type: 'audio/ogg', body: 'OggS' }, 'close ends the listeners of every stream');
  } finally {
    await server.close();
  }
});
