import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { CameraFrame, RawCameraFrame } from '../../src/camera/frame.js';
import { FfmpegFrameSource, type FfmpegSourceOptions } from '../../src/camera/ffmpeg-source.js';
import type { CameraLinkStatus } from '../../src/camera/link-status.js';
import { SystemClock } from '../../src/time/clock.js';
import { ccsnPhotos, makePhotoVideo, MjpegServer, startRtspServer, waitUntil } from '../support/camera-servers.js';
import { memoryLogger } from '../support/logs.js';

const PHOTOS = ccsnPhotos('Cu', 5);
const WIDTH = 64;

async function meanColour(photo: string): Promise<number[]> {
  const stats = await sharp(photo).stats();
  return stats.channels.slice(0, 3).map((channel) => channel.mean);
}

function frameMean(frame: RawCameraFrame): number[] {
  const sums = [0, 0, 0];
  const pixels = frame.rgb.width * frame.rgb.height;
  for (let i = 0; i < frame.rgb.rgb.length; i += 1) sums[i % 3] = (sums[i % 3] as number) + (frame.rgb.rgb[i] as number);
  return sums.map((sum) => sum / pixels);
}

/** The frame's largest channel difference from the photograph it most resembles. */
async function distanceToNearestPhoto(frame: RawCameraFrame): Promise<number> {
  const mean = frameMean(frame);
  const distances = await Promise.all(PHOTOS.map(async (photo) => {
    const photoMean = await meanColour(photo);
    return Math.max(...photoMean.map((value, channel) => Math.abs(value - (mean[channel] as number))));
  }));
  return Math.min(...distances);
}

function collect(options: Omit<FfmpegSourceOptions, 'camera' | 'clock' | 'log' | 'onFrame'>) {
  const frames: RawCameraFrame[] = [];
  const statuses: Array<[CameraLinkStatus, string]> = [];
  const { log, lines } = memoryLogger('debug');
  const source = new FfmpegFrameSource({
    camera: 'sky', clock: new SystemClock(), log, width: WIDTH,
    onFrame: (frame: CameraFrame) => void frames.push(frame as RawCameraFrame),
    onStatus: (status, reason) => statuses.push([status, reason]),
    ...options,
  });
  return { source, frames, statuses, lines };
}

async function assertPhotographFrames(frames: RawCameraFrame[]): Promise<void> {
  for (const frame of frames) {
    assert.equal(frame.rgb.width, WIDTH);
    assert.equal(frame.rgb.height, WIDTH, 'the 224x224 photographs keep their square aspect');
    assert.equal(frame.rgb.rgb.length, WIDTH * WIDTH * 3);
    assert.ok(await distanceToNearestPhoto(frame) < 8, `frame ${frame.id} looks like one of the photographs`);
  }
  assert.deepEqual(frames.map((frame) => frame.id).slice(0, 3), ['sky#1', 'sky#2', 'sky#3']);
}

test('HTTP MJPEG: whole RGB frames that look like the photographs the camera sends, password never shown',
  async () => {
    const server = new MjpegServer(PHOTOS.map((photo) => readFileSync(photo)), 5);
    const port = await server.listen();
    const { source, frames, statuses, lines } = collect({
      kind: 'mjpeg', input: `http://viewer:Hush-7731@127.0.0.1:${port}/video`, fps: 5,
    });
    try {
      source.start();
      await waitUntil('four MJPEG frames', () => frames.length >= 4);
    } finally {
      await source.stop();
      await server.close();
    }

    await assertPhotographFrames(frames);
    assert.deepEqual(statuses[0]?.[0], 'online');
    assert.equal(source.pid, undefined, 'no ffmpeg left after stop');
    const everything = JSON.stringify(lines) + JSON.stringify(statuses) + source.stderrTail();
    assert.equal(everything.includes('Hush-7731'), false);
  });

test('RTSP: the photographs streamed by a loopback RTSP server arrive as frames', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skychoir-rtsp-'));
  const server = await startRtspServer(await makePhotoVideo(dir, PHOTOS, 4));
  const { source, frames, statuses } = collect({ kind: 'rtsp', input: server.url, fps: 4 });
  try {
    source.start();
    await waitUntil('three RTSP frames', () => frames.length >= 3);
  } finally {
    await source.stop();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  await assertPhotographFrames(frames);
  assert.equal(statuses[0]?.[0], 'online');
});

test('C4: a camera that switches from 1920x1080 to 1920x1072 still gives only whole frames of one size',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skychoir-sizes-'));
    const ffmpeg = async (size: string, name: string): Promise<Buffer> => {
      const { execFileSync } = await import('node:child_process');
      execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=${size}:rate=1`,
        '-frames:v', '3', '-q:v', '5', '-f', 'mjpeg', join(dir, name)]);
      return readFileSync(join(dir, name));
    };
    const video = join(dir, 'switching.mjpeg');
    writeFileSync(video, Buffer.concat([await ffmpeg('1920x1080', 'a.mjpeg'), await ffmpeg('1920x1072', 'b.mjpeg')]));

    const { source, frames, statuses, lines } = collect({ kind: 'file', input: video, fps: 25, realTime: false, width: 640 });
    try {
      source.start();
      await waitUntil('the end of the file', () => statuses.some(([status]) => status === 'offline'));
    } finally {
      await source.stop();
      rmSync(dir, { recursive: true, force: true });
    }

    assert.equal(frames.length, 6);
    for (const frame of frames) assert.deepEqual([frame.rgb.width, frame.rgb.height, frame.rgb.rgb.length], [640, 360, 640 * 360 * 3]);
    assert.deepEqual(statuses.map(([status]) => status), ['online', 'offline']);
    assert.equal(statuses[1]?.[1], 'end of the video file');
    assert.equal(lines.some((line) => line.msg === 'raw stream ended on a partial frame'), false);
  });

test('C5: a reader that writes 1 MiB to stderr before its first frame still delivers every frame', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skychoir-chatty-'));
  const fakeFfmpeg = join(dir, 'ffmpeg');
  writeFileSync(fakeFfmpeg, `#!/usr/bin/env node
if (process.argv.includes('-version')) { console.log('ffmpeg version 5.1.9 (stand-in)'); process.exit(0); }
const line = 'noise from ' + process.argv[process.argv.indexOf('-i') + 1] + ' '.padEnd(60, '.') + '\\n';
let noise = ''; while (noise.length < 1024 * 1024) noise += line;
const output = "Output #0, rawvideo, to 'pipe:1':\\n  Stream #0:0: Video: rawvideo (RGB[24] / 0x18424752), rgb24(pc), 8x6 [SAR 1:1 DAR 4:3], 2 fps\\n";
const frames = Buffer.alloc(3 * 8 * 6 * 3);
for (let n = 0; n < 3; n += 1) frames.fill(10 * (n + 1), n * 144, (n + 1) * 144);
process.stderr.write(noise + output, () => process.stdout.write(frames));
`);
  chmodSync(fakeFfmpeg, 0o755);

  const { source, frames, statuses } = collect({
    kind: 'file', input: '/videos/sky:Secret-99@cam.avi', ffmpegPath: fakeFfmpeg, realTime: false,
  });
  try {
    source.start();
    await waitUntil('the stand-in to finish', () => statuses.some(([status]) => status === 'offline'));
  } finally {
    await source.stop();
  }

  assert.deepEqual(statuses.map(([status]) => status), ['online', 'offline']);
  assert.deepEqual(frames.map((frame) => [frame.rgb.width, frame.rgb.height, frame.rgb.rgb[0]]), [[8, 6, 10], [8, 6, 20], [8, 6, 30]]);
  const tail = source.stderrTail();
  assert.ok(tail.length > 1_000 && tail.length <= 16_384, `kept ${tail.length} characters of stderr`);
  assert.match(tail, /Output #0/);
  assert.equal(tail.includes('Secret-99'), false, 'the password in the input is scrubbed from stderr');
  rmSync(dir, { recursive: true, force: true });
});
