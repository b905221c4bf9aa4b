/**
 * `skychoir run` as a user runs it (the built CLI, a real process), against a local camera
 * (MJPEG of CCSN photographs), a local weather server (the real Bruges reply moved to today)
 * and a local Icecast, with HTTP listeners on its stream. The camera, the weather and Icecast
 * are taken down in turn and brought back; the stream must not break, the sources must come
 * back, nothing may crash or leak a secret, and the day it recorded must replay.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeWithFfmpeg } from '../../src/audio/measure.js';
import { readSkyMemoryFile } from '../../src/composer/sky-memory-file.js';
import { readDay } from '../../src/days/reader.js';
import { silentLogger } from '../../src/log.js';
import type { DaemonStatus } from '../../src/server/status.js';
import { MjpegServer, freePort } from '../support/camera-servers.js';
import { withPage } from '../support/browser.js';
import { startIcecast } from '../support/icecast.js';
import { REPO_DIR, SHARED_DIR } from '../support/paths.js';
import { WeatherServer } from '../support/weather-server.js';

const CAMERA_PASSWORD = 'cam-pw-7731';
const ICECAST_PASSWORD = 'ice-pw-5520';
const TOKEN = 'token-9913-secret';
const SECRETS = [CAMERA_PASSWORD, ICECAST_PASSWORD, TOKEN];

const work = mkdtempSync(join(tmpdir(), 'skychoir-daemon-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A listener on the MP3 stream that keeps every byte and the arrival time of each piece. */
class Listener {
  readonly pieces: Array<{ atMs: number; bytes: number }> = [];
  private readonly chunks: Buffer[] = [];
  private request: ReturnType<typeof get> | null = null;

  constructor(url: string) {
    this.request = get(url, (response) => {
      response.on('data', (chunk: Buffer) => {
        this.chunks.push(chunk);
        this.pieces.push({ atMs: Date.now(), bytes: chunk.length });
      });
    });
    this.request.on('error', () => {});
  }

  stop(): Buffer {
    this.request?.destroy();
    return Buffer.concat(this.chunks);
  }
}

async function status(base: string): Promise<DaemonStatus> {
  const response = await fetch(`${base}/status`);
  return (await response.json()) as DaemonStatus;
}

test('skychoir run keeps streaming while the camera, the weather and Icecast go down and come back', { timeout: 240_000 }, async () => {
  const photos = ['Cu/Cu-N001', 'Sc/Sc-N004', 'Ci/Ci-N002'].map((name) => readFileSync(join(SHARED_DIR, 'data/ccsn', `${name}.jpg`)));
  const camera = new MjpegServer(photos, 4);
  const cameraPort = await camera.listen();
  const weather = new WeatherServer();
  const weatherPort = await weather.listen();
  const icecast = await startIcecast({ sourcePassword: ICECAST_PASSWORD });
  const port = await freePort();
  const daysDir = join(work, 'days');
  const memoryFile = join(work, 'state', 'sky-memory.json');

  const config = join(work, 'skychoir.yaml');
  writeFileSync(config, [
    'place: { name: Bruges, latitude: 51.2, longitude: 3.2, timezone: Europe/Brussels }',
    `weather: { pollIntervalS: 10, baseUrl: "http://127.0.0.1:${weatherPort}/v1/forecast" }`,
    'camera: { analysisFps: 2, stallTimeoutS: 3 }',
    `vision: { modelDir: ${join(SHARED_DIR, 'models')} }`,
    `output: { port: ${port}, icecastFormat: mp3 }`,
    `run: { recordDaysDir: ${daysDir}, fadeOutS: 1 }`,
    `memory: { path: ${memoryFile} }`,
  ].join('\n'));

  const env = {
    ...process.env,
    SKYCHOIR_CAMERA_URL: `http://viewer:${CAMERA_PASSWORD}@127.0.0.1:${cameraPort}/video.mjpg`,
    SKYCHOIR_OUTPUT_ICECAST_URL: icecast.sourceUrl('/sky.mp3'),
    SKYCHOIR_SERVER_TOKEN: TOKEN,
  };
  const daemon: ChildProcess = spawn(process.execPath, [join(REPO_DIR, 'bin/skychoir.js'), 'run', '-c', config], {
    cwd: REPO_DIR, env, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  daemon.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const base = `http://127.0.0.1:${port}`;
  let exited = false;
  daemon.once('exit', () => (exited = true));

  try {
    const poll = async (what: string, condition: (s: DaemonStatus) => boolean, limitMs = 30_000): Promise<DaemonStatus> => {
      const started = Date.now();
      for (;;) {
        assert.ok(!exited, `the daemon exited while waiting for ${what}:\n${stderr.slice(-3000)}`);
        const last = await status(base).catch(() => null);
        if (last && condition(last)) return last;
        if (Date.now() - started > limitMs) {
          throw new Error(`gave up waiting for ${what}: ${JSON.stringify(last?.sources)} ${JSON.stringify(last?.outputs)}\n${stderr.slice(-2000)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    };
    const source = (s: DaemonStatus, name: string) => s.sources.find((each) => each.name === name)?.status;
    const output = (s: DaemonStatus, name: string) => s.outputs.find((each) => each.name === name)?.state;

    await poll('everything online', (s) =>
      source(s, 'weather') === 'online' && source(s, 'camera') === 'online' && output(s, 'icecast') === 'running', 60_000);
    await poll('a frame on show', (s) => s.frame !== null && s.weather !== null);

    // The dashboard of the running daemon, as a technician sees it, kept as a test artefact.
    const pageText = await withPage(`${base}/`, async (page, journal) => {
      await page.waitForFunction(() => document.body.innerText.includes('online') && document.querySelector('img'), null, { timeout: 15_000 });
      await page.waitForTimeout(2500);
      mkdirSync(join(REPO_DIR, 'test-artifacts'), { recursive: true });
      await page.screenshot({ path: join(REPO_DIR, 'test-artifacts/daemon-dashboard.png'), fullPage: true });
      assert.deepEqual(journal.errors, [], 'no script errors');
      return page.evaluate(() => document.body.innerText);
    });
    assert.match(pageText, /Bruges/);
    assert.match(pageText, /pad-|drone-|chorale-|texture-/, 'the stems playing are shown');
    const listeners = [1, 2, 3].map(() => new Listener(`${base}/stream`));
    const listenStart = Date.now();

    await camera.close();
    await poll('the camera marked down', (s) => ['stalled', 'offline'].includes(String(source(s, 'camera'))));
    await camera.listen(cameraPort);
    await poll('the camera back', (s) => source(s, 'camera') === 'online', 60_000);

    await weather.close();
    await poll('the weather marked failing', (s) => source(s, 'weather') === 'degraded', 40_000);
    await weather.listen(weatherPort);
    await poll('the weather back', (s) => source(s, 'weather') === 'online', 40_000);

    await icecast.stop();
    await poll('icecast reconnecting', (s) => output(s, 'icecast') === 'reconnecting');
    await icecast.start();
    const final = await poll('icecast back', (s) => output(s, 'icecast') === 'running', 60_000);
    assert.ok(final.outputs.find((each) => each.name === 'icecast')!.restarts >= 1);
    assert.ok(final.events.some((event) => event.name === 'sky.observed' || event.name === 'camera.status.changed'));

    const page = await (await fetch(`${base}/`)).text();
    const statusText = JSON.stringify(await status(base));
    const listenedMs = Date.now() - listenStart;
    const streams = listeners.map((listener) => listener.stop());

    daemon.kill('SIGTERM');
    const [code] = (await once(daemon, 'exit')) as [number | null];
    assert.equal(code, 0, `exit status 0 after SIGTERM; log tail:\n${stderr.slice(-2000)}`);

    for (const [index, stream] of streams.entries()) {
      const file = join(work, `listener-${index}.mp3`);
      writeFileSync(file, stream);
      const audio = await decodeWithFfmpeg(file);
      const seconds = audio.left.length / audio.sampleRate;
      assert.ok(seconds >= listenedMs / 1000 - 3, `listener ${index}: ${seconds.toFixed(1)} s of audio over ${(listenedMs / 1000).toFixed(1)} s listened`);
      const longestSilenceS = longestDigitalSilence(audio.left, audio.right, audio.sampleRate, 2);
      assert.ok(longestSilenceS <= 1152 / 48_000, `listener ${index}: no hole longer than an MP3 frame (longest ${longestSilenceS.toFixed(3)} s)`);
    }

    for (const text of [stderr, statusText, page, pageText]) {
      for (const secret of SECRETS) assert.ok(!text.includes(secret), `a secret leaked: ${secret}`);
    }
    assert.ok(!/"level":(50|60).*(uncaught|crash)/i.test(stderr), 'no crash in the log');

    // What the sky memory learned was saved at stop, in this place's hours.
    const learned = await readSkyMemoryFile(memoryFile, 'Europe/Brussels');
    assert.ok(learned.daysLearned >= 1, `days learned: ${learned.daysLearned}`);
    assert.ok(learned.lastAt !== null && learned.lastAt > Date.now() - 10 * 60_000, 'learned from the sky of this run');

    const [dayName] = readdirSync(daysDir);
    const day = await readDay(join(daysDir, dayName!), silentLogger());
    assert.ok(day.weather.length >= 2, `weather replies recorded: ${day.weather.length}`);
    assert.ok(day.frames.length >= 10, `frames recorded: ${day.frames.length}`);
    const rendered = join(work, 'replayed.wav');
    const render = spawn(process.execPath, [join(REPO_DIR, 'bin/skychoir.js'), 'render', join(daysDir, dayName!), '-o', rendered, '--speed', '8',
      '--set', `vision.modelDir=${join(SHARED_DIR, 'models')}`], { cwd: REPO_DIR, stdio: ['ignore', 'ignore', 'pipe'] });
    let renderErr = '';
    render.stderr!.on('data', (chunk: Buffer) => (renderErr += chunk.toString()));
    const [renderCode] = (await once(render, 'exit')) as [number | null];
    assert.equal(renderCode, 0, `the recorded day renders: ${renderErr.slice(-1500)}`);
    const replayed = await decodeWithFfmpeg(rendered);
    assert.ok(replayed.left.length > replayed.sampleRate, 'the recorded day gives audio');
  } finally {
    if (!exited) daemon.kill('SIGKILL');
    await camera.close();
    await weather.close();
    await icecast.stop();
  }
});

/** The longest run of exact digital silence after the first `skipS` seconds, in seconds. */
function longestDigitalSilence(left: Float32Array, right: Float32Array, rate: number, skipS: number): number {
  let longest = 0;
  let run = 0;
  for (let i = Math.round(skipS * rate); i < left.length; i++) {
    run = left[i] === 0 && right[i] === 0 ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest / rate;
}
