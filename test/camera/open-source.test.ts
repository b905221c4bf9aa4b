import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CameraFrame } from '../../src/camera/frame.js';
import type { CameraLinkStatus } from '../../src/camera/link-status.js';
import { openCameraSource, type OpenCameraOptions } from '../../src/camera/open-source.js';
import { InputError } from '../../src/errors.js';
import { SystemClock } from '../../src/time/clock.js';
import { ccsnPhotos, freePort, makePhotoVideo, MjpegServer, waitUntil } from '../support/camera-servers.js';
import { memoryLogger } from '../support/logs.js';

const PHOTOS = ccsnPhotos('As', 3);

function options(extra: Partial<OpenCameraOptions> = {}) {
  const frames: CameraFrame[] = [];
  const statuses: CameraLinkStatus[] = [];
  const opened: OpenCameraOptions = {
    camera: 'cam', clock: new SystemClock(), log: memoryLogger().log, fps: 5, width: 32,
    backoffFloorS: 0.2, maxBackoffS: 0.5, onFrame: (frame) => void frames.push(frame),
    onStatus: (status) => void statuses.push(status), ...extra,
  };
  return { opened, frames, statuses };
}

test('unknown schemes and missing files are refused at once, naming the masked URL', () => {
  const { opened } = options();
  assert.throws(() => openCameraSource('ftp://user:Ftp-Secret@cam/x', opened), (error: Error) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, /ftp:\/\/user:\*\*\*@cam\/x.*scheme "ftp"/);
    return true;
  });
  assert.throws(() => openCameraSource('/no/such/sky.avi', opened), /camera video file "\/no\/such\/sky.avi" does not exist/);
  assert.throws(() => openCameraSource('file:///no/such/sky.avi', opened), InputError);
});

test('an http URL that is down at start is offline, then read as MJPEG once it answers multipart', async () => {
  const port = await freePort();
  const { opened, frames, statuses } = options();
  const source = openCameraSource(`http://127.0.0.1:${port}/mjpg`, opened);
  const server = new MjpegServer(PHOTOS.map((photo) => readFileSync(photo)), 10);
  try {
    source.start();
    await waitUntil('offline', () => statuses.includes('offline'));
    await server.listen(port);
    await waitUntil('raw frames', () => frames.length >= 2);
  } finally {
    await source.stop();
    await server.close();
  }

  assert.deepEqual(statuses, ['offline', 'online']);
  assert.equal(source.status, 'online');
  assert.deepEqual(frames.map((frame) => [frame.rgb?.width, frame.rgb?.height]).slice(0, 2), [[32, 32], [32, 32]]);
});

test('an http URL answering image/jpeg is polled as snapshots', async () => {
  const jpeg = readFileSync(PHOTOS[0] as string);
  const server = createServer((request, response) => response.writeHead(200, { 'Content-Type': 'image/jpeg' }).end(jpeg));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { opened, frames } = options();
  const source = openCameraSource(`http://127.0.0.1:${(server.address() as AddressInfo).port}/snap`, opened);
  try {
    source.start();
    await waitUntil('snapshots', () => frames.length >= 2);
  } finally {
    await source.stop();
    server.closeAllConnections();
    server.close();
  }
  assert.ok(frames.every((frame) => frame.jpeg?.equals(jpeg)));
});

test('a file:// URL is read as a video through ffmpeg, looping when asked', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skychoir-file-'));
  const video = await makePhotoVideo(dir, PHOTOS, 5);
  const { opened, frames, statuses } = options({ loop: true, realTime: false, fps: 5 });
  const source = openCameraSource(pathToFileURL(video).href, opened);
  try {
    source.start();
    await waitUntil('more frames than the video holds', () => frames.length > 2 * PHOTOS.length);
  } finally {
    await source.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(statuses, ['online'], 'looping, the file never ends');
  assert.ok(frames.every((frame) => frame.rgb?.rgb.length === 32 * 32 * 3));
});
