import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBus } from '../../src/bus/bus.js';
import { SkyMemoryKeeper } from '../../src/app/sky-memory-keeper.js';
import { loadLiveSkyMemory, readSkyMemoryFile, SkyMemoryFileError, writeSkyMemoryFile } from '../../src/composer/sky-memory-file.js';
import { SkyMemory } from '../../src/composer/sky-memory.js';
import { silentLogger } from '../../src/log.js';
import { memoryLogger } from '../support/logs.js';

const HOUR = 3_600_000;
const START = Date.parse('2026-07-01T00:00:00Z');
const ZONE = 'Europe/Brussels';
const work = mkdtempSync(join(tmpdir(), 'skychoir-sky-memory-'));

function learned(): SkyMemory {
  const sky = new SkyMemory({ timeZone: ZONE, seasonAt: () => 'summer' });
  for (let hour = 0; hour < 50; hour++) {
    sky.pass(START + hour * HOUR);
    if (hour % 5 === 0) sky.observe('flock', START + hour * HOUR + 60_000);
    if (hour === 30) sky.observe('pressureFall', START + hour * HOUR + 120_000);
  }
  return sky;
}

test('a memory saved and loaded again is the same memory and rates the same', async () => {
  const sky = learned();
  const file = join(work, 'round-trip', 'sky-memory.json');
  await writeSkyMemoryFile(file, ZONE, sky.snapshot());
  assert.deepEqual(readdirSync(join(work, 'round-trip')), ['sky-memory.json'], 'no temporary file left');

  const data = await readSkyMemoryFile(file, ZONE);
  assert.deepEqual(data, sky.snapshot());
  const again = new SkyMemory({ timeZone: ZONE, seasonAt: () => 'summer', data });
  const at = START + 51 * HOUR;
  assert.deepEqual(again.observe('flock', at), sky.observe('flock', at));
  assert.deepEqual(again.snapshot(), sky.snapshot());
});

test('the daemon sets a corrupt memory aside, logs why, and starts empty', async () => {
  const file = join(work, 'corrupt.json');
  writeFileSync(file, '{"format": "skychoir-sky-memory", "version": 1, "timeZo');
  const { log, lines } = memoryLogger();
  assert.equal(await loadLiveSkyMemory(file, ZONE, 1_234, log), null);
  assert.equal(existsSync(file), false);
  assert.equal(readFileSync(`${file}.bad-1234`, 'utf8').slice(0, 10), '{"format":');
  const line = lines.find((each) => each.level === 50);
  assert.ok(line, 'logged as an error');
  assert.equal(line.setAside, `${file}.bad-1234`);
  assert.match(String(line.problem), /not JSON/);
  assert.match(String(line.msg), /set aside; starting with an empty memory/);
});

test('a foreign file (another format, or another place\'s hours) is set aside too, naming what is wrong', async () => {
  const { log, lines } = memoryLogger();
  const foreign = join(work, 'foreign.json');
  writeFileSync(foreign, JSON.stringify({ hello: 'world' }));
  assert.equal(await loadLiveSkyMemory(foreign, ZONE, 5, log), null);
  assert.ok(existsSync(`${foreign}.bad-5`));
  assert.match(String(lines.at(-1)!.problem), /not a sky memory: format/);

  const elsewhere = join(work, 'elsewhere.json');
  await writeSkyMemoryFile(elsewhere, 'America/New_York', learned().snapshot());
  assert.equal(await loadLiveSkyMemory(elsewhere, ZONE, 6, log), null);
  assert.match(String(lines.at(-1)!.problem), /kept in America\/New_York's hours, not this place's Europe\/Brussels/);
  await assert.rejects(readSkyMemoryFile(`${elsewhere}.bad-6`, ZONE), SkyMemoryFileError);
});

test('a missing file is a place not learned yet: an empty memory, nothing written or set aside', async () => {
  const { log, lines } = memoryLogger();
  const file = join(work, 'new-place', 'sky-memory.json');
  assert.equal(await loadLiveSkyMemory(file, ZONE, 7, log), null);
  assert.equal(existsSync(join(work, 'new-place')), false);
  assert.ok(lines.every((line) => Number(line.level) < 40));
});

test('the keeper saves once the interval of sky time has passed, and at stop', async () => {
  const sky = learned();
  const file = join(work, 'kept.json');
  const bus = new EventBus(silentLogger());
  const keeper = new SkyMemoryKeeper(sky, file, 300, silentLogger());
  keeper.follow(bus);
  const sun = (at: number) => bus.publish('sun.phase.changed', { at, phase: 'day', previous: 'sunrise', elevationDeg: 20 });
  await sun(START + 60 * HOUR);
  await sun(START + 60 * HOUR + 299_000);
  assert.equal(existsSync(file), false, 'not before 300 s of sky time');
  await sun(START + 60 * HOUR + 300_000);
  await keeper.stop();
  sky.observe('fog', START + 61 * HOUR);
  assert.notDeepEqual((await readSkyMemoryFile(file, ZONE)).bins, sky.snapshot().bins);
  await keeper.stop();
  assert.deepEqual(await readSkyMemoryFile(file, ZONE), sky.snapshot(), 'stop saves what the memory holds now');
});
