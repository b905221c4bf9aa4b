/**
 * Golden renders (tools/golden.ts): short scenarios rendered offline must match their stored
 * references (test/golden/references/<name>.json) in plan and, within tolerance, in level,
 * spectral centroid and integrated loudness. After a deliberate change to the music,
 * `npm run golden:record` rewrites the references.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GOLDEN_SCENARIOS } from '../../tools/golden-days.js';
import { readReference, renderGolden, type GoldenRender } from '../../tools/golden.js';
import { compareGolden, type GoldenReference } from '../../tools/golden-features.js';

let workDir: string;
const renders = new Map<string, GoldenRender>();

before(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'skychoir-golden-test-'));
  for (const scenario of GOLDEN_SCENARIOS) renders.set(scenario.name, await renderGolden(scenario, workDir));
});

after(() => rm(workDir, { recursive: true, force: true }));

for (const scenario of GOLDEN_SCENARIOS) {
  test(`golden "${scenario.name}" (${scenario.about}) matches its reference`, async (t) => {
    const reference = await readReference(scenario.name);
    const fresh = renders.get(scenario.name)!.reference;
    assert.deepEqual(compareGolden(reference, fresh), []);
    if (fresh.pcmSha256 !== reference.pcmSha256) {
      t.diagnostic(`${scenario.name}: PCM differs from the recorded one (sha256 ${fresh.pcmSha256.slice(0, 12)}, reference ${reference.pcmSha256.slice(0, 12)}) within tolerance`);
    }
  });
}

test('the scenarios show what they are named for', () => {
  const plan = (name: string) => renders.get(name)!.plan;
  const events = (name: string) => renders.get(name)!.events.map((event) => event.name);
  assert.ok(plan('dawn-clear').some((e) => e.action === 'start' && e.reason.includes('"dawn"')), 'dawn-clear reaches dawn');
  assert.ok(events('flock-noon').includes('flock.started'), 'the flock is seen as a flock');
  assert.ok(plan('flock-noon').some((e) => e.layer === 'fine' && e.action === 'start'), 'the flock is answered');
  assert.ok(plan('drizzle-dusk').some((e) => e.action === 'start' && e.stemId.includes('drizzle')), 'drizzle is heard');
  assert.ok(renders.get('pressure-fall')!.events.some((e) => e.name === 'pressure.trend.changed' && JSON.stringify(e.payload).includes('falling')), 'pressure falls');
});

test('a reference changed by hand is reported as a mismatch, naming scenario, place and size', async () => {
  const copyDir = join(workDir, 'changed-references');
  await mkdir(copyDir, { recursive: true });
  const fresh = renders.get('flock-noon')!.reference;
  const changed: GoldenReference = structuredClone(fresh);
  changed.features.levelDb[20] = changed.features.levelDb[20]! + 1;
  changed.features.centroidHz[1] = changed.features.centroidHz[1]! * 1.1;
  changed.features.integratedLufs -= 0.8;
  changed.plan[0] = { ...changed.plan[0]!, frame: changed.plan[0]!.frame + 48 };
  await writeFile(join(copyDir, 'flock-noon.json'), JSON.stringify(changed));

  const problems = compareGolden(await readReference('flock-noon', copyDir), fresh);
  assert.equal(problems.length, 4, problems.join('\n'));
  assert.match(problems[0]!, /^flock-noon: plan entry 0 differs: reference start \S+ \(coarse\) at frame 48, render start \S+ \(coarse\) at frame 0$/);
  assert.match(problems[1]!, /^flock-noon: level of second 20 is .* dB \(-1\.00 dB, tolerance 0\.5 dB\)$/);
  assert.match(problems[2]!, /^flock-noon: spectral centroid of 5-10 s is .* \(-9\.\d\d%, tolerance 5%\)$/);
  assert.match(problems[3]!, /^flock-noon: integrated loudness .* \(\+0\.80 LU, tolerance 0\.5 LU\)$/);

  const withinTolerance: GoldenReference = structuredClone(fresh);
  withinTolerance.features.levelDb[20] = withinTolerance.features.levelDb[20]! + 0.4;
  withinTolerance.pcmSha256 = '0'.repeat(64);
  assert.deepEqual(compareGolden(withinTolerance, fresh), [], 'a change within tolerance, or of the hash alone, passes');
});
