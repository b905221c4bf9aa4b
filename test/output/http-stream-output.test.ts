import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RestartBackoff } from '../../src/camera/backoff.js';
import { silentLogger } from '../../src/log.js';
import { HttpStreamOutput } from '../../src/output/http-stream-output.js';
import { OggPageSplitter } from '../../src/output/ogg-pages.js';
import { SystemClock } from '../../src/time/clock.js';
import { waitUntil } from '../support/camera-servers.js';
import { memoryLogger } from '../support/logs.js';
import { decode, listen, noise, SAMPLE_RATE, serveFanOut, sleep, tone } from './live-support.js';

function streamOutput(format: 'mp3' | 'opus', extra: Partial<ConstructorParameters<typeof HttpStreamOutput>[0]> = {}) {
  return new HttpStreamOutput({
    format, bitrateKbps: format === 'mp3' ? 320 : 96, ffmpegPath: 'ffmpeg', sampleRate: SAMPLE_RATE,
    clock: new SystemClock(), log: silentLogger(), backoff: new RestartBackoff(200, 1_000, () => 0), ...extra,
  });
}

test('MP3: a listener that stops reading is dropped; the other gets decodable MP3 throughout', async () => {
  const output = streamOutput('mp3', { maxListenerQueueBytes: 16 * 1024 });
  await output.start();
  const server = await serveFanOut(output.fanOut, output.contentType);
  const keen = await listen(server.url);
  const stuck = await listen(server.url, false);
  await waitUntil('two listeners', () => output.fanOut.size === 2);

  // Noise at 320 kbit/s, 20 times faster than real time, until the kernel's socket buffers
  // behind the stuck listener are full and its queue passes 16 KiB.
  const halfSecondOfNoise = noise(0.5);
  let seconds = 0;
  while (output.fanOut.size === 2 && seconds < 400) {
    output.write(halfSecondOfNoise);
    seconds += 0.5;
    await sleep(25);
  }
  assert.equal(output.fanOut.size, 1, 'the stuck listener was dropped');
  stuck.close();

  for (let i = 0; i < 4; i++) output.write(tone(0.5, 440, i * 24_000));
  await output.stop();
  await keen.ended;
  await server.close();

  const { errors, seconds: decoded } = await decode(keen.bytes());
  assert.equal(errors, '');
  assert.ok(decoded > seconds, `the keen listener decoded ${decoded} s of ${seconds + 2} s`);
  assert.equal(output.health().restarts, 0);
  assert.equal(output.droppedBytes, 0, 'no PCM dropped at this pace');
});

test('Ogg/Opus: a late listener gets the header pages first, whole pages only, and decodes cleanly', async () => {
  const output = streamOutput('opus');
  await output.start();
  const server = await serveFanOut(output.fanOut, output.contentType);
  const early = await listen(server.url);

  for (let i = 0; i < 8; i++) {
    output.write(tone(0.5, 440, i * 24_000));
    await sleep(50);
  }
  const lastGranule = (bytes: Buffer): bigint => new OggPageSplitter().push(bytes).at(-1)?.granulePosition ?? 0n;
  await waitUntil('3 s encoded', () => lastGranule(early.bytes()) >= 3n * 48_000n);
  const late = await listen(server.url);
  for (let i = 8; i < 14; i++) {
    output.write(tone(0.5, 440, i * 24_000));
    await sleep(50);
  }
  await output.stop();
  await Promise.all([early.ended, late.ended]);
  await server.close();

  const pages = new OggPageSplitter().push(late.bytes());
  assert.equal(pages.map((page) => page.bytes.length).reduce((a, b) => a + b), late.bytes().length, 'whole pages only');
  assert.equal(pages[0]?.bytes.subarray(28, 36).toString('ascii'), 'OpusHead');
  assert.ok(pages[0]?.beginsStream);
  assert.equal(pages[1]?.bytes.subarray(28, 36).toString('ascii'), 'OpusTags');
  assert.ok((pages[2]?.granulePosition ?? 0n) > 3n * 48_000n, 'then audio from after 3 s, not from the start');

  for (const listener of [early, late]) {
    const { errors, seconds } = await decode(listener.bytes());
    assert.equal(errors, '');
    assert.ok(seconds > 2, `decoded ${seconds} s`);
  }
  const earlyDecoded = await decode(early.bytes());
  assert.ok(earlyDecoded.seconds > 6.5, `the early listener decoded ${earlyDecoded.seconds} s of 7 s`);
});

test('Ogg/Opus: an encoder killed mid-stream is restarted and listeners get a chained stream that decodes', async () => {
  const { log, lines } = memoryLogger();
  const output = streamOutput('opus', { log });
  await output.start();
  const server = await serveFanOut(output.fanOut, output.contentType);
  const listener = await listen(server.url);

  for (let i = 0; i < 4; i++) {
    output.write(tone(0.5, 440, i * 24_000));
    await sleep(50);
  }
  await waitUntil('audio before the kill', () => listener.bytes().length > 10_000);
  const firstPid = output.encoderPid as number;
  process.kill(-firstPid, 'SIGKILL');
  await waitUntil('reconnecting', () => output.health().state === 'reconnecting');
  assert.match(output.health().detail ?? '', /SIGKILL; retry in/);

  const before = listener.bytes().length;
  let i = 4;
  while (output.health().state !== 'running' && i < 100) {
    output.write(tone(0.5, 440, i++ * 24_000));
    await sleep(50);
  }
  for (let more = 0; more < 4; more++) output.write(tone(0.5, 440, i++ * 24_000));
  await output.stop();
  await listener.ended;
  await server.close();

  assert.equal(output.health().restarts, 1);
  assert.notEqual(output.encoderPid, firstPid);
  assert.ok(listener.bytes().length > before + 5_000, 'the listener kept receiving after the restart');
  const pages = new OggPageSplitter().push(listener.bytes());
  assert.equal(pages.filter((page) => page.beginsStream).length, 2, 'two chained streams, each with its header');
  const { errors, seconds } = await decode(listener.bytes());
  assert.equal(errors, '');
  assert.ok(seconds > 3.5, `decoded ${seconds} s across the seam`);
  assert.ok(lines.some((line) => line.msg === 'encoder restarted'));
});
