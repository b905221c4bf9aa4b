/**
 * Fault suite, snapshot JPEGs: a loopback camera answers 200 with, in turn, a good JPEG and
 * each kind of bad body. The real HTTP snapshot source hands on the images sharp can decode
 * and reports every other one by its frame id and reason, without a crash or a stop; the
 * camera stays online (it answered) and its password never reaches the log.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import type { CameraFrame } from '../../src/camera/frame.js';
import type { CameraFrameRejection } from '../../src/camera/source.js';
import { HttpSnapshotSource } from '../../src/camera/snapshot-source.js';
import { SystemClock } from '../../src/time/clock.js';
import { ccsnPhotos, waitUntil } from '../support/camera-servers.js';
import { memoryLogger } from '../support/logs.js';

const PHOTO = readFileSync(ccsnPhotos('Cs', 1)[0]!);

/** A JPEG whose start-of-frame claims 20000 x 20000 pixels. */
function bombHeader(): Buffer {
  const jpeg = Buffer.from(PHOTO);
  const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
  jpeg.writeUInt16BE(20_000, sof + 5);
  jpeg.writeUInt16BE(20_000, sof + 7);
  return jpeg;
}

/** What the camera answers, request by request; a null reason: the body is an image to hand on. */
const ANSWERS: Array<{ what: string; type: string; body: () => Promise<Buffer>; rejected: RegExp | null }> = [
  { what: 'a good JPEG', type: 'image/jpeg', body: async () => PHOTO, rejected: null },
  { what: 'an empty body', type: 'image/jpeg', body: async () => Buffer.alloc(0), rejected: /not a decodable image \(0 bytes\)/ },
  { what: 'a JPEG cut at 90%', type: 'image/jpeg', body: async () => PHOTO.subarray(0, Math.round(PHOTO.length * 0.9)), rejected: /premature end of JPEG/ },
  { what: 'garbage', type: 'image/jpeg', body: async () => Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 131 + 7) % 256)), rejected: /unsupported image format/ },
  { what: 'an HTML login page', type: 'text/html', body: async () => Buffer.from('<html><body>Please log in</body></html>'), rejected: /unsupported image format/ },
  { what: 'a 20000x20000 header', type: 'image/jpeg', body: async () => bombHeader(), rejected: /exceeds pixel limit/ },
  { what: 'a PNG', type: 'image/png', body: () => sharp(PHOTO).png().toBuffer(), rejected: null },
  { what: 'a good JPEG again', type: 'image/jpeg', body: async () => PHOTO, rejected: null },
];

test('snapshot faults: each bad body is reported by frame id and reason, decodable ones go on, polling never stops', async () => {
  const bodies = await Promise.all(ANSWERS.map((answer) => answer.body()));
  let count = 0;
  const server = createServer((_request, response) => {
    const index = Math.min(count++, ANSWERS.length - 1);
    response.writeHead(200, { 'Content-Type': ANSWERS[index]!.type }).end(bodies[index]);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  const frames: CameraFrame[] = [];
  const rejections: CameraFrameRejection[] = [];
  const statuses: string[] = [];
  const { log, lines } = memoryLogger('debug');
  const source = new HttpSnapshotSource({
    camera: 'snap', url: `http://cam:Snap-Secret@127.0.0.1:${port}/snap.jpg`, clock: new SystemClock(), log, fps: 20,
    onFrame: (frame) => void frames.push(frame),
    onRejected: (rejection) => void rejections.push(rejection),
    onStatus: (status) => void statuses.push(status),
  });
  try {
    source.start();
    await waitUntil('every answer and one more', () => frames.length + rejections.length > ANSWERS.length);
  } finally {
    await source.stop();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  ANSWERS.forEach((answer, i) => {
    const frameId = `snap#${i + 1}`;
    const rejection = rejections.find((candidate) => candidate.frameId === frameId);
    if (answer.rejected === null) {
      assert.equal(rejection, undefined, `${answer.what} is not rejected`);
      assert.ok(frames.some((frame) => frame.id === frameId), `${answer.what} is handed on`);
    } else {
      assert.ok(rejection, `${answer.what} is rejected`);
      assert.match(rejection.reason, answer.rejected, answer.what);
      assert.ok(lines.some((line) => line.level === 40 && line.frameId === frameId), `${answer.what} is logged`);
    }
  });
  assert.deepEqual(statuses, ['online'], 'the camera answered every time: online throughout');
  assert.equal(JSON.stringify(lines).includes('Snap-Secret'), false);
});
