import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameSizeMismatch, RawFrameSplitter } from '../../src/camera/frame-splitter.js';
import type { FrameSize } from '../../src/camera/stream-info.js';

/** Frames whose every byte says which frame it belongs to (frame n is filled with n). */
function numberedFrames(count: number, size: FrameSize): Buffer {
  const frameBytes = size.width * size.height * 3;
  const stream = Buffer.alloc(count * frameBytes);
  for (let n = 0; n < count; n += 1) stream.fill(n + 1, n * frameBytes, (n + 1) * frameBytes);
  return stream;
}

function inChunks(stream: Buffer, chunkBytes: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < stream.length; offset += chunkBytes) {
    chunks.push(stream.subarray(offset, offset + chunkBytes));
  }
  return chunks;
}

test('C4: 640x360 rgb24 in 4096-byte chunks gives only whole frames and reports the short read', () => {
  const size = { width: 640, height: 360 };
  const frameBytes = 640 * 360 * 3;
  const shortTail = 5_000;
  const stream = numberedFrames(4, size).subarray(0, 3 * frameBytes + shortTail);

  const frames: Uint8Array[] = [];
  const splitter = new RawFrameSplitter((rgb, frameSize) => {
    assert.deepEqual(frameSize, size);
    frames.push(rgb);
  });
  splitter.setSize(size);
  for (const chunk of inChunks(stream, 4096)) splitter.push(chunk);
  const end = splitter.end();

  assert.equal(frames.length, 3);
  frames.forEach((frame, index) => {
    assert.equal(frame.length, frameBytes);
    assert.ok(frame.every((byte) => byte === index + 1), `frame ${index + 1} holds only its own bytes`);
  });
  assert.equal(end.frames, 3);
  assert.equal(end.leftoverBytes, shortTail);
  assert.match(end.mismatch ?? '', /not a whole number of 640x360 frames/);
});

test('bytes that come before the size is stated are held, then cut', () => {
  const size = { width: 4, height: 2 };
  const frames: Uint8Array[] = [];
  const splitter = new RawFrameSplitter((rgb) => frames.push(rgb));

  splitter.push(numberedFrames(2, size).subarray(0, 30));
  assert.equal(frames.length, 0);
  splitter.setSize(size);
  assert.equal(frames.length, 1);
  splitter.push(numberedFrames(2, size).subarray(30));
  assert.equal(frames.length, 2);
  assert.deepEqual(splitter.end(), { frames: 2, leftoverBytes: 0 });
});

test('C4: a stream stated as 1920x1080 that carries 1920x1072 frames is reported with the size that fits', () => {
  const stated = { width: 1920, height: 1080 };
  const actual = { width: 1920, height: 1072 };
  const splitter = new RawFrameSplitter(() => {});
  splitter.setSize(stated);
  for (const chunk of inChunks(numberedFrames(5, actual), 65_536)) splitter.push(chunk);

  const end = splitter.end();
  assert.ok(end.leftoverBytes > 0);
  assert.match(end.mismatch ?? '', /fit 5 frames of 1920x1072/);
});

test('C4: a size restated differently is refused, not sheared', () => {
  const splitter = new RawFrameSplitter(() => {});
  splitter.setSize({ width: 1920, height: 1080 });
  assert.throws(() => splitter.setSize({ width: 1920, height: 1072 }), FrameSizeMismatch);
  assert.throws(() => new RawFrameSplitter(() => {}).setSize({ width: 0, height: 10 }), FrameSizeMismatch);
});

test('a stream that never states its size is refused past the hold limit', () => {
  const splitter = new RawFrameSplitter(() => {}, 1_000);
  splitter.push(Buffer.alloc(900));
  assert.throws(() => splitter.push(Buffer.alloc(200)), FrameSizeMismatch);
});
