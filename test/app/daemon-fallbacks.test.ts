/**
 * The daemon in-process, with nothing to listen to: no network for the weather, no camera,
 * even no stems. It must play anyway, say what it misses, and stop with a fade.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDaemon } from '../../src/app/daemon.js';
import { decodeWithFfmpeg, rms } from '../../src/audio/measure.js';
import { loadConfig } from '../../src/config/load.js';
import { InputError } from '../../src/errors.js';
import type { DaemonStatus } from '../../src/server/status.js';
import { SystemClock } from '../../src/time/clock.js';
import { memoryLogger } from '../support/logs.js';
import { freePort } from '../support/camera-servers.js';

const work = mkdtempSync(join(tmpdir(), 'skychoir-fallbacks-'));
/** The daemon's sky memory, kept out of the working directory. */
const memoryPath = join(work, 'sky-memory.json');

/** Runs the daemon until `during` resolves, then stops it; gives what `during` returned. */
async function withDaemon<T>(sets: string[], during: (base: string) => Promise<T>): Promise<{ result: T; lines: Array<Record<string, unknown>> }> {
  const port = await freePort();
  const deadPort = await freePort();
  const config = loadConfig({
    env: {},
    sets: [
      `output.port=${port}`,
      `memory.path=${memoryPath}`,
      `weather.baseUrl=http://127.0.0.1:${deadPort}/v1/forecast`,
      'weather.pollIntervalS=10',
      'output.opusStream=false',
      'run.fadeOutS=1',
      'server.metrics=false',
      ...sets,
    ],
  });
  const { log, lines } = memoryLogger('info');
  const stop = new AbortController();
  let listening!: () => void;
  const ready = new Promise<void>((resolve) => (listening = resolve));
  const running = runDaemon({ config, log, clock: new SystemClock(), version: 'test', signal: stop.signal, onListening: () => listening() });

  await Promise.race([ready, running]);
  try {
    const result = await during(`http://127.0.0.1:${port}`);
    return { result, lines };
  } finally {
    stop.abort();
    await running;
  }
}

/** Listens to the MP3 stream for `seconds` and decodes what came. */
async function listen(url: string, seconds: number) {
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    const request = get(url, (response) => {
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      setTimeout(() => {
        request.destroy();
        resolve();
      }, seconds * 1000);
    });
    request.on('error', reject);
  });
  const file = join(work, `listened-${Date.now()}.mp3`);
  writeFileSync(file, Buffer.concat(chunks));
  return decodeWithFfmpeg(file);
}

test('with no weather, no camera and no network the daemon plays, and says what it is missing', async () => {
  const { result } = await withDaemon([], async (base) => {
    const audio = await listen(`${base}/stream`, 4);
    const status = (await (await fetch(`${base}/status`)).json()) as DaemonStatus;
    return { audio, status };
  });

  const { audio, status } = result;
  assert.ok(audio.left.length / audio.sampleRate > 2.5, 'seconds of audio came');
  assert.ok(rms(audio, audio.sampleRate, audio.left.length) > 0.001, 'and it is not silence');
  assert.equal(status.sources.find((source) => source.name === 'weather')?.status, 'offline');
  assert.match(status.missing.join('\n'), /weather offline.*playing from the time of day/);
  assert.match(status.missing.join('\n'), /no camera configured/);
  const bed = status.layers.find((layer) => layer.layer === 'coarse')!.stems;
  assert.ok(bed.length > 0, 'a bed plays from the sun alone');
  // The sun's phase is known before the first chunk: the bed answers it from the start.
  for (const stem of bed) assert.doesNotMatch(stem.reason, /unknown phase/, `${stem.id}: ${stem.reason}`);
});

test('with no stem pack the safe bed plays, and the status says so', async () => {
  const { result, lines } = await withDaemon([`audio.stemsDir=${join(work, 'no-such-pack')}`], async (base) => {
    const audio = await listen(`${base}/stream`, 5);
    const status = (await (await fetch(`${base}/status`)).json()) as DaemonStatus;
    return { audio, status };
  });

  assert.ok(rms(result.audio, 3 * result.audio.sampleRate, result.audio.left.length) > 0.005, 'the bed is heard');
  assert.match(result.status.missing.join('\n'), /no stems could be loaded: the safe bed plays/);
  assert.ok(lines.some((line) => line.level === 50 && /no stem pack could be loaded/.test(String(line.msg))));
});

test('stopping fades the stream out instead of cutting it', async () => {
  const port = await freePort();
  const deadPort = await freePort();
  const config = loadConfig({
    env: {},
    sets: [`output.port=${port}`, `memory.path=${memoryPath}`, `weather.baseUrl=http://127.0.0.1:${deadPort}/x`, 'weather.pollIntervalS=10', 'output.opusStream=false', 'run.fadeOutS=2'],
  });
  const stop = new AbortController();
  let listening!: () => void;
  const ready = new Promise<void>((resolve) => (listening = resolve));
  const running = runDaemon({ config, log: memoryLogger().log, clock: new SystemClock(), version: 'test', signal: stop.signal, onListening: () => listening() });
  await ready;

  const chunks: Buffer[] = [];
  const ended = new Promise<void>((resolve) => {
    get(`http://127.0.0.1:${port}/stream`, (response) => {
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', resolve);
      response.on('close', resolve);
    });
  });
  await new Promise((resolve) => setTimeout(resolve, 4000));
  stop.abort();
  await running;
  await ended;

  const file = join(work, 'faded.mp3');
  writeFileSync(file, Buffer.concat(chunks));
  const audio = await decodeWithFfmpeg(file);
  const rate = audio.sampleRate;
  const end = audio.left.length;
  const before = rms(audio, end - 4 * rate, end - 3 * rate);
  const windows = [2, 1.5, 1, 0.5].map((ago) => rms(audio, end - Math.round(ago * rate), end - Math.round((ago - 0.5) * rate)));
  const last = rms(audio, end - Math.round(0.1 * rate), end);
  assert.ok(before > 0.001, 'music before the stop');
  assert.ok(windows.every((level, index) => index === 0 || level < windows[index - 1]!), `the level falls over the last 2 s: ${windows.map((w) => w.toExponential(1)).join(', ')}`);
  assert.ok(last < before / 10, `the end is faded (${last.toExponential(2)} against ${before.toExponential(2)})`);
});

test('a port already in use is a plain error, and nothing is left running', async () => {
  const { createServer } = await import('node:net');
  const blocker = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => blocker.once('listening', resolve));
  const port = (blocker.address() as { port: number }).port;

  try {
    const config = loadConfig({ env: {}, sets: [`output.port=${port}`, `memory.path=${memoryPath}`, 'output.opusStream=false'] });
    const stop = new AbortController();
    await assert.rejects(
      runDaemon({ config, log: memoryLogger().log, clock: new SystemClock(), version: 'test', signal: stop.signal }),
      (error: Error) => error instanceof InputError && /port is already in use/.test(error.message),
    );
  } finally {
    blocker.close();
  }
});
