/**
 * Renders judge rare events by an empty memory, or by a file given for the purpose: never by
 * the daemon's own `memory.path`, so the same day, seed, score and stems give the same audio.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DaySession } from '../../src/app/session.js';
import type { PlanEntry } from '../../src/composer/composer.js';
import { writeSkyMemoryFile } from '../../src/composer/sky-memory-file.js';
import { SkyMemory } from '../../src/composer/sky-memory.js';
import { seasonsAt } from '../../src/composer/sky-memory-setup.js';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/log.js';
import { buildGoldenDay, brugesAt, GOLDEN_SCENARIOS } from '../../tools/golden-days.js';
import { REPO_DIR, SHARED_DIR } from '../support/paths.js';

const scenario = GOLDEN_SCENARIOS.find((each) => each.name === 'flock-noon')!;
let work: string;
let dayDir: string;
let daemonFile: string;

/** Thirty days of Bruges summer in which flocks come every noon hour: a flock at noon is usual there. */
async function writeNoonFlocks(file: string): Promise<void> {
  const sky = new SkyMemory({ timeZone: 'Europe/Brussels', seasonAt: seasonsAt(51.2) });
  const day0 = brugesAt('00:00') - 31 * 86_400_000;
  for (let day = 0; day < 30; day++) {
    for (let hour = 0; hour < 24; hour++) {
      const at = day0 + day * 86_400_000 + hour * 3_600_000;
      sky.pass(at);
      if (hour === 12) for (let index = 1; index <= 5; index++) sky.observe('flock', at + index * 60_000);
    }
  }
  await writeSkyMemoryFile(file, 'Europe/Brussels', sky.snapshot());
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'skychoir-memory-render-'));
  dayDir = await buildGoldenDay(work, scenario, SHARED_DIR);
  daemonFile = join(work, 'state', 'sky-memory.json');
  await writeNoonFlocks(daemonFile);
});

async function plan(options: { daemonFile?: string; memoryPath?: string }): Promise<PlanEntry[]> {
  const config = loadConfig({
    env: {},
    sets: [
      `vision.modelDir=${join(SHARED_DIR, 'models')}`,
      `audio.stemsDir=${join(REPO_DIR, 'samples/stems')}`,
      ...(options.daemonFile ? [`memory.path=${options.daemonFile}`] : []),
    ],
  });
  const session = await DaySession.open({ config, dayDir, speed: scenario.speed, log: silentLogger(), memoryPath: options.memoryPath });
  try {
    while (await session.nextChunk()) {
      // The plan is what matters here; the chunks are rendered and dropped.
    }
    return session.composer.entries;
  } finally {
    await session.close();
  }
}

test('a render does not read the daemon\'s memory file: same plan as with none, the file untouched', async () => {
  const before = await stat(daemonFile);
  const content = await readFile(daemonFile, 'utf8');
  const fresh = await plan({});
  const withDaemonFile = await plan({ daemonFile });
  assert.deepEqual(withDaemonFile, fresh);
  const flock = fresh.find((entry) => entry.layer === 'fine' && entry.action === 'start');
  assert.match(flock?.reason ?? '', /at 12h in summer \(0\.\d\d\), first today/);
  assert.equal((await stat(daemonFile)).mtimeMs, before.mtimeMs);
  assert.equal(await readFile(daemonFile, 'utf8'), content);
});

test('a memory given to the render is used: where noon flocks are usual, the flock is answered more softly', async () => {
  const fresh = (await plan({})).find((entry) => entry.layer === 'fine' && entry.action === 'start')!;
  const judged = (await plan({ memoryPath: daemonFile })).find((entry) => entry.layer === 'fine' && entry.action === 'start')!;
  const boost = (entry: PlanEntry) => Number(/\+(\d+\.\d) dB/.exec(entry.reason)?.[1]);
  assert.ok(boost(judged) < boost(fresh), `${judged.reason} vs ${fresh.reason}`);
  assert.match(judged.reason, /usual at 12h in summer/);
  await assert.rejects(plan({ memoryPath: join(work, 'no-such-memory.json') }), /sky memory .*no-such-memory\.json: cannot read/);
});
