import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import {
  FrameDecodeError,
  MAX_FRAME_SIDE,
  THUMBNAIL_SIDE,
  decodeFrame,
} from '../../src/vision/frame-decode.js';
import { ccsnPath } from './support.js';

const GOOD_JPEG = readFileSync(ccsnPath('Ac/Ac-N214'));

/** Bytes that are not any image format (a fixed pattern, so the test is repeatable). */
const NOT_AN_IMAGE = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));

test('a JPEG decodes to RGB and a 64x64 thumbnail', async () => {
  const { full, thumbnail } = await decodeFrame('f1', GOOD_JPEG);

  assert.deepEqual([full.width, full.height, full.rgb.length], [224, 224, 224 * 224 * 3]);
  assert.deepEqual(
    [thumbnail.width, thumbnail.height, thumbnail.rgb.length],
    [THUMBNAIL_SIDE, THUMBNAIL_SIDE, THUMBNAIL_SIDE ** 2 * 3],
  );
});

test('a large frame is scaled down to the longest side allowed, keeping its aspect', async () => {
  const create = { width: 3840, height: 2160, channels: 3, background: '#4080c0' } as const;
  const big = await sharp({ create })
    .jpeg()
    .toBuffer();

  const { full } = await decodeFrame('4k', big);

  assert.equal(full.width, MAX_FRAME_SIDE);
  assert.equal(full.height, 1080);
});

test('a greyscale JPEG still decodes to three channels', async () => {
  const create = { width: 40, height: 30, channels: 3, background: '#808080' } as const;
  const grey = await sharp({ create })
    .toColourspace('b-w')
    .jpeg()
    .toBuffer();

  const { full } = await decodeFrame('grey', grey);

  assert.equal(full.rgb.length, 40 * 30 * 3);
});

for (const [what, bytes] of [
  ['random bytes', NOT_AN_IMAGE],
  ['the first half of a JPEG', GOOD_JPEG.subarray(0, GOOD_JPEG.length >> 1)],
  ['a JPEG missing only its last two bytes', GOOD_JPEG.subarray(0, GOOD_JPEG.length - 2)],
  ['an empty buffer', Buffer.alloc(0)],
] as const) {
  test(`decoding ${what} rejects with a FrameDecodeError naming the frame`, async () => {
    await assert.rejects(decodeFrame('cam-17', bytes), (error: unknown) => {
      assert.ok(error instanceof FrameDecodeError);
      assert.equal(error.frameId, 'cam-17');
      assert.match(error.message, /^frame cam-17 could not be decoded: ./);
      return true;
    });
  });
}
