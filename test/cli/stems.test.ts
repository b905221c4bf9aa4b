import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { REPO_DIR } from '../support/paths.js';
import { C_MAJOR, synthesise } from '../audio/stem-check-fixtures.js';

/** Runs `skychoir <args>` from the TypeScript sources (no build needed). */
function skychoir(args: string[]) {
  const launcher = "const m = await import('./src/cli/main.ts'); process.exitCode = await m.main(['node', 'skychoir', ...process.argv.slice(1)]);";
  return spawnSync(process.execPath, ['--import', 'tsx', '-e', launcher, ...args], { cwd: REPO_DIR, encoding: 'utf8' });
}

let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skychoir-stems-cli-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('skychoir stems check passes the default pack, a line per stem', () => {
  const result = skychoir(['stems', 'check', 'samples/stems']);
  assert.equal(result.status, 0, result.stderr);
  const lines = result.stdout.trim().split('\n');
  assert.match(lines.at(-1)!, /^(\d+) stem\(s\) checked in samples\/stems: all clean$/);
  const count = Number(/^(\d+)/.exec(lines.at(-1)!)![1]);
  assert.equal(lines.length, count + 1);
  for (const line of lines.slice(0, -1)) assert.match(line, /^ok {3}\S+ \(\S+\): 48 kHz, 2 ch; \d+\.\d s; -\d+\.\d LUFS/);
});

test('skychoir stems check rejects a corrupt file, a 44.1 kHz stem and a loop that clicks', async () => {
  const pack = join(dir, 'bad');
  await mkdir(pack);
  await copyFile(join(REPO_DIR, 'samples/stems/accent-bird-lift.ogg'), join(pack, 'good.ogg'));
  await writeFile(join(pack, 'corrupt.ogg'), Buffer.alloc(8_000, 0x5a));
  await synthesise(join(pack, 'cd.wav'), C_MAJOR, 2, 44_100);
  await synthesise(join(pack, 'clicks.wav'), C_MAJOR, 1.9937);
  const entry = (id: string, file: string, loop: boolean, key = 'C') => ({ id, file, layer: 'middle', role: 'texture', key, mode: 'major', loop });
  await writeFile(join(pack, 'manifest.json'), JSON.stringify({
    format: 1,
    sampleRate: 48_000,
    stems: [entry('good', 'good.ogg', false, 'D'), entry('corrupt', 'corrupt.ogg', true), entry('cd', 'cd.wav', true), entry('clicks', 'clicks.wav', true)],
  }));

  const result = skychoir(['stems', 'check', pack]);

  assert.equal(result.status, 1);
  assert.match(result.stdout, /^ok {3}good \(good\.ogg\): /m);
  assert.match(result.stdout, /^FAIL corrupt \(corrupt\.ogg\): cannot be decoded/m);
  assert.match(result.stderr, new RegExp(`skychoir: stem pack ${pack}: 3 of 4 stem\\(s\\) have problems`));
  assert.match(result.stderr, /- stem "corrupt" \(corrupt\.ogg\): cannot be decoded \(corrupt or not audio\)/);
  assert.match(result.stderr, /- stem "cd" \(cd\.wav\): is 44100 Hz: the pack must be 48000 Hz/);
  assert.match(result.stderr, /- stem "clicks" \(clicks\.wav\): the loop clicks where it wraps/);
  assert.doesNotMatch(result.stderr, /stem "good"/);
});

test('skychoir stems check: an invalid manifest fails the check, a missing folder is a usage error', async () => {
  const pack = join(dir, 'invalid');
  await mkdir(pack);
  await writeFile(join(pack, 'manifest.json'), JSON.stringify({ format: 1, sampleRate: 44_100, stems: [] }));

  const invalid = skychoir(['stems', 'check', pack]);
  assert.equal(invalid.status, 1);
  assert.match(invalid.stderr, /stem manifest .*manifest\.json is not valid[\s\S]*sampleRate:/);

  const missing = skychoir(['stems', 'check', join(dir, 'nowhere')]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /^skychoir: stem pack .*nowhere is not a folder\n$/);
});
