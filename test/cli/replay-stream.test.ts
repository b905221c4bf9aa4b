import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeWithFfmpeg, rms } from '../../src/audio/measure.js';
import { buildTinyDay } from '../../tools/make-test-days.js';
import { REPO_DIR, SHARED_DIR } from '../support/paths.js';

function get(url: string, onData?: (chunk: Buffer) => void): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        onData?.(chunk);
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

test('skychoir replay streams the day as MP3 over HTTP to several listeners until the day ends', async () => {
  const work = await mkdtemp(join(tmpdir(), 'skychoir-replay-'));
  const dayDir = await buildTinyDay(work);

  // Two hours of sky at 1200x: six seconds of music, played in real time.
  const child = spawn(
    process.execPath,
    [join(REPO_DIR, 'bin/skychoir.js'), 'replay', dayDir, '--speed', '1200', '--port', '0',
      '--set', `vision.modelDir=${join(SHARED_DIR, 'models')}`, '--set', 'audio.chunkS=1'],
    { cwd: REPO_DIR, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  const address = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /streaming at (http:\/\/\S+)\/stream/.exec(stderr);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`replay exited with ${code} before listening:\n${stderr}`)));
  });

  const listeners = [get(`${address}/stream`), get(`${address}/stream`), get(`${address}/stream`)];
  const status = await get(`${address}/status`);
  const results = await Promise.all(listeners);
  const exitCode = await new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.on('exit', resolve);
  });

  assert.equal(exitCode, 0, stderr);
  assert.equal(status.status, 200);
  const state = JSON.parse(status.body.toString()) as { listeners: number; speed: number };
  assert.equal(state.speed, 1200);
  assert.ok(state.listeners >= 1);

  for (const [index, result] of results.entries()) {
    assert.equal(result.status, 200);
    const file = join(work, `listener-${index}.mp3`);
    await writeFile(file, result.body);
    const audio = await decodeWithFfmpeg(file);
    const seconds = audio.left.length / 48_000;
    assert.ok(seconds > 4 && seconds < 7, `listener ${index} heard ${seconds} s`);
    assert.ok(rms(audio, 0, audio.left.length) > 0.005, `listener ${index} heard silence`);
  }
});

test('Ctrl-C stops a replay with a listener connected: the process and its encoder exit, and the log says it was stopped', { timeout: 60_000 }, async (t) => {
  const work = await mkdtemp(join(tmpdir(), 'skychoir-replay-stop-'));
  const dayDir = await buildTinyDay(work);

  // At 60x the two-hour day lasts two minutes: it is stopped long before its end.
  const child = spawn(
    process.execPath,
    [join(REPO_DIR, 'bin/skychoir.js'), 'replay', dayDir, '--speed', '60', '--port', '0',
      '--set', 'vision.fetchMissingModel=false', '--set', `vision.modelDir=${join(work, 'no-models')}`, '--set', 'audio.chunkS=1'],
    { cwd: REPO_DIR, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const address = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /streaming at (http:\/\/\S+)\/stream/.exec(stderr);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`replay exited with ${code} before listening:\n${stderr}`)));
  });

  // Stopped once the replay is paced (waiting, with ffmpeg idle on its input), where a stop
  // that only signals ffmpeg used to leave it, and so the process, running.
  let stopping = false;
  const listener = get(`${address}/stream`, () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => child.kill('SIGINT'), 3_000);
  });

  const [exitCode, result] = await Promise.all([exited, listener]);
  assert.equal(exitCode, 0, stderr);
  assert.ok(result.body.length > 0, 'the listener heard the stream before it stopped');
  assert.match(stderr, /replay stopped before the day ended/);
  assert.doesNotMatch(stderr, /the day is over/);
});

test('a replay that cannot listen names the address, exits 2 at once and leaves nothing running', { timeout: 60_000 }, async () => {
  const work = await mkdtemp(join(tmpdir(), 'skychoir-replay-busy-'));
  const dayDir = await buildTinyDay(work);
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const { port } = blocker.address() as AddressInfo;

  try {
    const child = spawn(
      process.execPath,
      [join(REPO_DIR, 'bin/skychoir.js'), 'replay', dayDir, '--port', String(port), '--set', 'vision.fetchMissingModel=false',
        '--set', `vision.modelDir=${join(work, 'no-models')}`],
      { cwd: REPO_DIR, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    const exitCode = await new Promise<number | null>((resolve) => child.on('exit', resolve));

    assert.equal(exitCode, 2, stderr);
    assert.match(stderr, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port} .*already in use`));
  } finally {
    blocker.close();
  }
});
