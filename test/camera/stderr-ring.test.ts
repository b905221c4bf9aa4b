import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StderrRing } from '../../src/camera/stderr-ring.js';
import { OutputStreamInfo, type FrameSize } from '../../src/camera/stream-info.js';

const CAMERA = 'rtsp://admin:Pa55word!@10.0.0.7:554/stream1';

test('C5: a megabyte of stderr is kept as a few KiB of its latest lines, the password never stored', () => {
  const ring = new StderrRing(CAMERA, 4_096);
  for (let n = 0; n < 20_000; n += 1) {
    ring.push(`[rtsp @ 0x55] line ${n} reading ${CAMERA} Pa55word! retry\n`);
  }

  const tail = ring.toString();
  assert.ok(tail.length <= 4_096, `kept ${tail.length} characters`);
  assert.match(tail, /line 19999 /);
  assert.doesNotMatch(tail, /line 0 /);
  assert.equal(tail.includes('Pa55word'), false);
  assert.match(ring.lastLine(), /rtsp:\/\/admin:\*\*\*@10\.0\.0\.7/);
});

test('lines split across chunks are joined, carriage returns end lines, a huge line is cut', () => {
  const lines: string[] = [];
  const ring = new StderrRing('http://cam/video', 1_000, (line) => lines.push(line));
  ring.push('Input #0, mpjpeg, fr');
  ring.push('om \'http://cam/video\':\r\nframe=1\rframe=2\n');
  ring.push('x'.repeat(5_000));
  assert.deepEqual(lines.slice(0, 3), ["Input #0, mpjpeg, from 'http://cam/video':", 'frame=1', 'frame=2']);
  assert.equal(lines[3]?.length, 1_000);
});

test("ffmpeg's output stream line states the raw frame size; the input's does not", () => {
  const sizes: FrameSize[] = [];
  const changes: Array<[FrameSize, FrameSize]> = [];
  const info = new OutputStreamInfo((size) => sizes.push(size), (from, to) => changes.push([from, to]));
  const stderr = [
    "Input #0, mpjpeg, from 'http://127.0.0.1:8080/':",
    '  Stream #0:0: Video: mjpeg (Baseline), yuvj444p(pc, bt470bg/unknown/unknown), 1920x1080 [SAR 1:1 DAR 16:9], 25 tbr',
    "Output #0, rawvideo, to 'pipe:1':",
    '  Stream #0:0: Video: rawvideo (RGB[24] / 0x18424752), rgb24(pc, gbr/unknown/unknown, progressive), 640x360 [SAR 1:1 DAR 16:9], q=2-31, 138240 kb/s, 25 fps',
    '[graph 0 input from stream 0:0 @ 0x56] filter context - w: 1920 h: 1080 fmt: 14, incoming frame - w: 1920 h: 1072 fmt: 14 pts_time: 0.12',
  ];
  for (const line of stderr) info.readLine(line);

  assert.deepEqual(sizes, [{ width: 640, height: 360 }]);
  assert.deepEqual(changes, [[{ width: 1920, height: 1080 }, { width: 1920, height: 1072 }]]);
});
