/**
 * The bench's measuring tools: the accent finder on a real stem hidden in a bed at a known
 * sample, the cross-correlation against a direct sum, the soak's line fit and growth verdict,
 * and /proc readings of a child process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { decodeWithFfmpeg } from '../../src/audio/measure.js';
import { findAccent } from '../../bench/accent-finder.js';
import { crossCorrelate } from '../../bench/fft.js';
import { sampleUsage } from '../../bench/proc-usage.js';
import { fitLine, growthVerdict } from '../../bench/soak-stats.js';
import { REPO_DIR } from '../support/paths.js';

const SAMPLE_RATE = 48_000;

test('the accent stem is found at the sample it was mixed in at, under a louder chord bed', async () => {
  const { left, right } = await decodeWithFfmpeg(join(REPO_DIR, 'samples/stems/accent-flock.ogg'));
  const stem = left.map((sample, index) => (sample + right[index]!) / 2);
  const bed = new Float32Array(SAMPLE_RATE * 12);
  for (let index = 0; index < bed.length; index++) {
    const t = index / SAMPLE_RATE;
    const chord = t < 6 ? [146.8, 220, 293.7] : [196, 246.9, 293.7];
    bed[index] = chord.reduce((sum, hz) => sum + 0.05 * Math.sin(2 * Math.PI * hz * t), 0);
  }
  const insertedAt = SAMPLE_RATE * 5 + 1234;
  const stream = bed.slice();
  for (let index = 0; index < stem.length && insertedAt + index < stream.length; index++) stream[insertedAt + index]! += 0.5 * stem[index]!;

  const found = findAccent(stream, stem, { sampleRate: SAMPLE_RATE, fromSample: SAMPLE_RATE * 3 });
  assert.ok(found);
  assert.equal(found.startSample, insertedAt);
  assert.ok(found.correlation > 0.3, `correlation ${found.correlation}`);
  assert.ok(found.audibleSample !== null && found.audibleSample >= insertedAt, `audible at ${found.audibleSample}`);

  const none = findAccent(bed, stem, { sampleRate: SAMPLE_RATE, fromSample: SAMPLE_RATE * 3 });
  assert.ok(none && none.correlation < 0.1, `correlation without the accent ${none?.correlation}`);
});

test('the FFT cross-correlation equals the direct sum', () => {
  const signal = Float32Array.from({ length: 300 }, (_, index) => Math.sin(index * 0.37) + ((index * 7919) % 13) / 13);
  const template = Float32Array.from({ length: 40 }, (_, index) => Math.cos(index * 0.21) - 0.2);
  const corr = crossCorrelate(signal, template);
  assert.equal(corr.length, 261);
  for (const lag of [0, 17, 130, 260]) {
    let direct = 0;
    for (let index = 0; index < template.length; index++) direct += signal[lag + index]! * template[index]!;
    assert.ok(Math.abs(corr[lag]! - direct) < 1e-9, `lag ${lag}: ${corr[lag]} vs ${direct}`);
  }
});

test('a line through exact points, and growth told from noise', () => {
  const line = fitLine([0, 1, 2, 3], [1, 3, 5, 7]);
  assert.ok(Math.abs(line.slope - 2) < 1e-12 && Math.abs(line.intercept - 1) < 1e-12 && line.residualSd < 1e-12);
  assert.throws(() => fitLine([1, 1], [2, 3]), /distinct/);

  const hours = Array.from({ length: 200 }, (_, index) => (index * 24) / 199);
  const noise = hours.map((_, index) => Math.sin(index * 2.3) * 0.5);
  const flat = growthVerdict(hours, noise.map((value) => 100 + value));
  assert.equal(flat.flat, true, JSON.stringify(flat));
  const leaking = growthVerdict(hours, noise.map((value, index) => 100 + value + 0.5 * hours[index]!));
  assert.equal(leaking.flat, false, JSON.stringify(leaking));
  assert.ok(Math.abs(leaking.perHour - 0.5) < 0.05, `slope ${leaking.perHour}`);
});

test('a child process is counted among the descendants with its CPU and memory', async () => {
  // A fixed amount of work (a few tenths of a second of a core), then an idle wait.
  const child = spawn(process.execPath, ['-e', 'let x = 0; for (let i = 0; i < 3e8; i++) x += i % 7; console.log("done", x); setTimeout(() => {}, 30000)']);
  await once(child.stdout, 'data');
  const usage = sampleUsage(process.pid);
  child.kill();
  await once(child, 'exit');

  assert.ok(usage.children >= 1, `children ${usage.children}`);
  assert.ok(usage.childrenCpuS >= 0.05, `children's CPU ${usage.childrenCpuS} s`);
  assert.ok(usage.childrenRssBytes > 10 * 1024 * 1024 && usage.rssBytes > 10 * 1024 * 1024);
  assert.throws(() => sampleUsage(2 ** 22 + 12345), /gone/);
});
