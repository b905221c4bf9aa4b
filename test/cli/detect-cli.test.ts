import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { REPO_DIR, SHARED_DIR } from '../support/paths.js';

/** Runs `skychoir <args>` from the TypeScript sources (no build needed). */
function skychoir(args: string[]) {
  const launcher = "const m = await import('./src/cli/main.ts'); process.exitCode = await m.main(['node', 'skychoir', ...process.argv.slice(1)]);";
  return spawnSync(process.execPath, ['--import', 'tsx', '-e', launcher, ...args], { cwd: REPO_DIR, encoding: 'utf8' });
}

const PHOTO = join(SHARED_DIR, 'data/ccsn/Ac/Ac-N214.jpg');
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skychoir-detect-cli-'));
});
after(() => rm(dir, { recursive: true, force: true }));

test('skychoir detect on a cut-short JPEG exits 1 saying no frame could be read', async () => {
  const broken = join(dir, 'broken.jpg');
  const bytes = await readFile(PHOTO);
  await writeFile(broken, bytes.subarray(0, bytes.length / 3));

  const run = skychoir(['detect', broken, '-o', join(dir, 'out.png'), '--set', `vision.modelDir=${join(SHARED_DIR, 'models')}`]);
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stderr, /broken\.jpg: no frame could be read \(corrupt, or not an image\)/);
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
});

test('skychoir detect without a detector exits 1 saying birds were not looked for, after the sky it could read', () => {
  const run = skychoir(['detect', PHOTO, '-o', join(dir, 'out2.png'), '--set', `vision.modelDir=${dir}`, '--set', 'vision.fetchMissingModel=false']);
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stdout, /cover \d+%/);
  assert.match(run.stderr, /no bird detector could be opened .*birds and aircraft were not looked for/);
});
