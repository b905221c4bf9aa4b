import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ffmpegReadArgs } from '../../src/camera/ffmpeg-args.js';
import { detectFfmpegVersion, parseFfmpegVersion, rtspTimeoutOption } from '../../src/camera/ffmpeg-version.js';
import { InputError } from '../../src/errors.js';

test('ffmpeg versions are read from Debian, plain, n-tagged and git builds', () => {
  assert.equal(parseFfmpegVersion('ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026').major, 5);
  assert.equal(parseFfmpegVersion('ffmpeg version 4.4.2 Copyright (c) 2000-2021').major, 4);
  assert.equal(parseFfmpegVersion('4.4.2').major, 4);
  assert.equal(parseFfmpegVersion('ffmpeg version n6.1 Copyright').major, 6);
  const git = parseFfmpegVersion('ffmpeg version N-112345-g1a2b3c4d5e Copyright (c) 2000-2023');
  assert.equal(git.gitBuild, true);
  assert.ok(git.major >= 5);
  assert.throws(() => parseFfmpegVersion('bash: ffmpeg: command not found'), InputError);
});

test('RTSP takes -timeout from ffmpeg 5 on and -stimeout before', () => {
  assert.equal(rtspTimeoutOption(parseFfmpegVersion('ffmpeg version 5.1.9-0+deb12u1')), '-timeout');
  assert.equal(rtspTimeoutOption(parseFfmpegVersion('ffmpeg version n6.1')), '-timeout');
  assert.equal(rtspTimeoutOption(parseFfmpegVersion('ffmpeg version N-112345-gabc')), '-timeout');
  assert.equal(rtspTimeoutOption(parseFfmpegVersion('ffmpeg version 4.4.2')), '-stimeout');
});

function valueAfter(args: string[], option: string): string | undefined {
  const index = args.indexOf(option);
  return index >= 0 ? args[index + 1] : undefined;
}

test('each input kind gets its own options, timeouts in microseconds, rgb24 out at the rate and width', () => {
  const common = { fps: 2, width: 320, socketTimeoutS: 7.5 };
  const v5 = parseFfmpegVersion('ffmpeg version 5.1.9');
  const v4 = parseFfmpegVersion('ffmpeg version 4.4.2');

  const rtsp = ffmpegReadArgs({ ...common, kind: 'rtsp', input: 'rtsp://cam/1', version: v5 });
  assert.equal(valueAfter(rtsp, '-rtsp_transport'), 'tcp');
  assert.equal(valueAfter(rtsp, '-timeout'), '7500000');
  assert.equal(rtsp.includes('-stimeout'), false);
  assert.ok(rtsp.indexOf('-timeout') < rtsp.indexOf('-i'), 'input options come before -i');

  const oldRtsp = ffmpegReadArgs({ ...common, kind: 'rtsp', input: 'rtsp://cam/1', version: v4 });
  assert.equal(valueAfter(oldRtsp, '-stimeout'), '7500000');
  assert.equal(oldRtsp.includes('-timeout'), false);

  const mjpeg = ffmpegReadArgs({ ...common, kind: 'mjpeg', input: 'http://cam/video', version: v5 });
  assert.equal(valueAfter(mjpeg, '-rw_timeout'), '7500000');
  assert.equal(valueAfter(mjpeg, '-use_wallclock_as_timestamps'), '1');
  assert.equal(mjpeg.includes('-rtsp_transport'), false);

  const file = ffmpegReadArgs({ ...common, kind: 'file', input: '/v.avi', version: v5, realTime: true, loop: true });
  assert.ok(file.includes('-re'));
  assert.equal(valueAfter(file, '-stream_loop'), '-1');
  const fastFile = ffmpegReadArgs({ ...common, kind: 'file', input: '/v.avi', version: v5 });
  assert.equal(fastFile.includes('-re') || fastFile.includes('-stream_loop'), false);

  for (const args of [rtsp, mjpeg, file]) {
    assert.equal(valueAfter(args, '-vf'), 'fps=2,scale=320:-2');
    assert.equal(valueAfter(args, '-f'), 'rawvideo');
    assert.equal(valueAfter(args, '-pix_fmt'), 'rgb24');
    assert.equal(args.at(-1), 'pipe:1');
  }
});

test('the installed ffmpeg is detected once and a missing one is named with how to install it', async () => {
  const first = detectFfmpegVersion('ffmpeg');
  assert.equal(detectFfmpegVersion('ffmpeg'), first, 'the same detection is shared');
  assert.ok((await first).major >= 4);

  await assert.rejects(detectFfmpegVersion('/nonexistent/ffmpeg'), (error: Error) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, /ffmpeg not found at "\/nonexistent\/ffmpeg".*apt-get install ffmpeg/);
    return true;
  });
});
