import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTinyDay } from '../../tools/make-test-days.js';
import { REPO_DIR } from '../support/paths.js';

function skychoir(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [join(REPO_DIR, 'bin/skychoir.js'), ...args], {
    cwd: REPO_DIR,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
}

test('every subcommand answers --help with its options', () => {
  const top = skychoir(['--help']);
  assert.equal(top.status, 0);
  for (const command of ['render', 'replay', 'record', 'weather', 'config']) {
    assert.match(top.stdout, new RegExp(`\\b${command}\\b`));
    const help = skychoir([command, '--help']);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, new RegExp(`Usage: skychoir ${command}`));
    assert.match(help.stdout, /--config <file>/);
  }
  assert.match(skychoir(['render', '--help']).stdout, /--speed <factor>/);
  const version = skychoir(['--version']);
  assert.equal(version.status, 0);
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
});

test('skychoir config prints the effective configuration with secrets masked', () => {
  const result = skychoir(['config', '--set', 'composer.seed=9'], {
    SKYCHOIR_WEATHER_API_KEY: 'sekrit-key-123',
    SKYCHOIR_CAMERA_URL: 'rtsp://admin:hunter2@cam/live',
  });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /seed: 9/);
  assert.ok(!result.stdout.includes('sekrit-key-123') && !result.stdout.includes('hunter2'));
});

test('a bad setting stops the command with every problem named, and exit code 2', () => {
  const result = skychoir(['config', '--set', 'audio.chunkS=0', '--set', 'output.port=70000']);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /audio\.chunkS: .*\(got 0\)/);
  assert.match(result.stderr, /output\.port: .*\(got 70000\)/);
});

test('render of a folder that is not a day fails with a message naming it', () => {
  const result = skychoir(['render', '/nonexistent/day', '-o', '/tmp/skychoir-never.ogg']);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /\/nonexistent\/day/);
  assert.doesNotMatch(result.stderr, /"level"|    at /, 'a user\'s mistake is told plainly, without a stack');
});

test('usage mistakes and bad option values are told plainly with exit 2', () => {
  for (const args of [['render', 'day', '-o', 'x.ogg', '--speed', 'abc'], ['render', 'day'], ['render', '--bogus'], ['nosuchcommand']]) {
    const result = skychoir(args, { SKYCHOIR_LOG_LEVEL: 'loud' });
    assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.doesNotMatch(result.stderr, /"level"|    at /, args.join(' '));
  }
  assert.match(skychoir(['render', 'day', '-o', 'x.ogg', '--speed', '-5']).stderr, /--speed must be a positive number, got "-5"/);
});

test('Ctrl-C in a terminal (SIGINT to the whole process group) stops a render cleanly: exit 130, no file left', { timeout: 120_000 }, async () => {
  const work = await mkdtemp(join(tmpdir(), 'skychoir-ctrl-c-'));
  const dayDir = await buildTinyDay(work);
  const outPath = join(work, 'day.ogg');

  // Its own process group, as a shell gives a foreground job; ffmpeg is started inside it.
  const child = spawn(
    process.execPath,
    [join(REPO_DIR, 'bin/skychoir.js'), 'render', dayDir, '-o', outPath, '--speed', '1',
      '--set', 'vision.fetchMissingModel=false', '--set', `vision.modelDir=${join(work, 'no-models')}`],
    { cwd: REPO_DIR, stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  let stderr = '';
  let interrupted = false;
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (interrupted || !/"msg":"rendering"/.test(stderr)) return;
    interrupted = true;
    process.kill(-child.pid!, 'SIGINT');
  });
  const exitCode = await new Promise<number | null>((resolve) => child.on('exit', resolve));

  assert.equal(exitCode, 130, stderr);
  assert.match(stderr, /render stopped after .* s of audio; no file was written/);
  assert.deepEqual((await readdir(work)).filter((name) => name.startsWith('day.ogg')), []);
});

test('skychoir weather against a provider that does not answer says so in one line, exit 1', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise<void>((resolve) => closed.close(() => resolve()));

  const result = skychoir(['weather', '--set', `weather.baseUrl=http://127.0.0.1:${port}/v1/forecast`]);
  assert.equal(result.status, 1, result.stderr);
  assert.match(result.stdout, /^open-meteo: http:\/\/127\.0\.0\.1:\d+\/v1\/forecast\?latitude=/);
  assert.match(result.stderr, /skychoir: weather check failed \(network\): .*ECONNREFUSED/);
  assert.doesNotMatch(result.stderr, /    at /);
});
