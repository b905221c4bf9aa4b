import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DaemonOutputs } from '../../src/app/daemon-outputs.js';
import { loadConfig } from '../../src/config/load.js';
import { VirtualClock } from '../../src/time/clock.js';
import { memoryLogger } from '../support/logs.js';

test('an output that cannot start is shown as failed, the others play, and it joins once a later try works', async () => {
  const work = mkdtempSync(join(tmpdir(), 'skychoir-outputs-'));
  const blocker = join(work, 'recordings');
  writeFileSync(blocker, 'a file where the folder should be');
  const config = loadConfig({ env: {}, sets: [`output.recordDir=${join(blocker, 'daily')}`, 'output.opusStream=false'] });
  const clock = new VirtualClock(Date.parse('2026-12-04T10:00:00Z'));
  const { log, lines } = memoryLogger();
  const outputs = new DaemonOutputs(config, clock, log);

  try {
    await outputs.start();
    assert.deepEqual(outputs.all.map((output) => output.name), ['http mp3']);
    const failed = outputs.health().find((health) => health.name === 'file');
    assert.equal(failed?.state, 'failed');
    assert.ok(lines.some((line) => line.level === 50 && line.output === 'file'));

    await clock.advanceTo(clock.now() + 40 * 60_000);
    assert.ok(!outputs.all.some((output) => output.name === 'file'), 'still failing while the folder cannot be made');

    rmSync(blocker);
    await clock.advanceTo(clock.now() + 60 * 60_000);
    assert.deepEqual(outputs.all.map((output) => output.name), ['http mp3', 'file'], 'the file output joined the mix');
    assert.equal(outputs.health().find((health) => health.name === 'file')?.state !== 'failed', true);
  } finally {
    await outputs.stop();
    rmSync(work, { recursive: true, force: true });
  }
});
