import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import type { CameraFrame } from '../../src/camera/frame.js';
import type { CameraLinkStatus } from '../../src/camera/link-status.js';
import { HttpSnapshotSource } from '../../src/camera/snapshot-source.js';
import type { CameraFrameRejection } from '../../src/camera/source.js';
import { SystemClock } from '../../src/time/clock.js';
import { ccsnPhotos, freePort, waitUntil } from '../support/camera-servers.js';
import { memoryLogger } from '../support/logs.js';

const PHOTO = readFileSync(ccsnPhotos('Ci', 1)[0] as string);

/** A snapshot server whose answer to each request the test decides. */
async function snapshotServer(answer: (count: number, response: ServerResponse, request: IncomingMessage) => void, port = 0) {
  let count = 0;
  const server = createServer((request, response) => answer(++count, response, request));
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    requests: () => count,
    close: () => { server.closeAllConnections(); return new Promise((resolve) => server.close(resolve)); },
  };
}

function snapshotSource(url: string, extra: { socketTimeoutS?: number } = {}) {
  const frames: CameraFrame[] = [];
  const rejections: CameraFrameRejection[] = [];
  const statuses: Array<[CameraLinkStatus, string]> = [];
  const { log, lines } = memoryLogger('debug');
  const source = new HttpSnapshotSource({
    camera: 'snap', url, clock: new SystemClock(), log, fps: 20, backoffFloorS: 0.1, maxBackoffS: 0.3, ...extra,
    onFrame: (frame) => void frames.push(frame), onRejected: (rejection) => void rejections.push(rejection),
    onStatus: (status, reason) => void statuses.push([status, reason]),
  });
  return { source, frames, rejections, statuses, lines };
}

test('snapshots arrive as JPEG frames; a broken JPEG is reported and skipped, and polling goes on', async () => {
  const server = await snapshotServer((count, response, request) => {
    assert.match(request.headers.authorization ?? '', /^Basic /, 'the password is sent as basic auth');
    const body = count === 2 ? PHOTO.subarray(0, PHOTO.length >> 1) : PHOTO;
    response.writeHead(200, { 'Content-Type': 'image/jpeg' }).end(body);
  });
  const { source, frames, rejections, statuses, lines } = snapshotSource(`http://cam:Snap-Secret@127.0.0.1:${server.port}/snap.jpg`);
  try {
    source.start();
    await waitUntil('three good snapshots', () => frames.length >= 3);
  } finally {
    await source.stop();
    await server.close();
  }

  assert.deepEqual(frames.slice(0, 3).map((frame) => frame.id), ['snap#1', 'snap#3', 'snap#4']);
  assert.ok(frames.every((frame) => frame.jpeg?.equals(PHOTO)));
  assert.equal(rejections.length, 1);
  assert.equal(rejections[0]?.frameId, 'snap#2');
  assert.match(rejections[0]?.reason ?? '', /not a decodable image/);
  assert.deepEqual(statuses.map(([status]) => status), ['online']);
  assert.equal(JSON.stringify(lines).includes('Snap-Secret'), false);
});

test('a snapshot URL that is refused is offline, one that never answers is stalled, and both recover', async () => {
  const port = await freePort();
  const { source, frames, statuses } = snapshotSource(`http://127.0.0.1:${port}/snap.jpg`, { socketTimeoutS: 0.5 });
  let answering = false;
  let server: Awaited<ReturnType<typeof snapshotServer>> | null = null;
  try {
    source.start();
    await waitUntil('offline', () => statuses.length >= 1);

    server = await snapshotServer((count, response) => {
      if (answering) response.writeHead(200, { 'Content-Type': 'image/jpeg' }).end(PHOTO);
    }, port);
    await waitUntil('stalled', () => statuses.length >= 2);
    answering = true;
    await waitUntil('online', () => statuses.length >= 3 && frames.length >= 1);
  } finally {
    await source.stop();
    await server?.close();
  }

  assert.deepEqual(statuses.map(([status]) => status), ['offline', 'stalled', 'online']);
  assert.match(statuses[0]?.[1] ?? '', /ECONNREFUSED/);
  assert.match(statuses[1]?.[1] ?? '', /no snapshot within 0.5 s/);
});
