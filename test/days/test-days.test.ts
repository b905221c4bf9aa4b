import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/log.js';
import { readDay, type RecordedDay } from '../../src/days/reader.js';
import { buildBrugesDay, buildTinyDay } from '../../tools/make-test-days.js';
import { SHARED_DIR } from '../support/paths.js';

const CCSN_DIR = join(SHARED_DIR, 'data/ccsn');
const REPLY_FILE = join(SHARED_DIR, 'weather/open-meteo/archive-bruges-2023-07-29-hourly.json');
const brugesLocal = (hhmm: string): number => Date.parse(`2023-07-29T${hhmm}:00+02:00`);
const BIRDS = ['Ac/Ac-N214.jpg', 'Cs/Cs-N248.jpg', 'Ci/Ci-N041.jpg', 'Cc/Cc-N062.jpg'];
const FALSE_POSITIVES = ['Cb/Cb-N106.jpg', 'Cs/Cs-N206.jpg'];

const sha1 = (bytes: Buffer): string => createHash('sha1').update(bytes).digest('hex');

/** Every CCSN photograph by content hash, so a frame can be traced back to its source. */
async function ccsnByHash(): Promise<Map<string, string>> {
  const byHash = new Map<string, string>();
  for (const genus of (await readdir(CCSN_DIR)).filter((name) => !name.includes('.'))) {
    for (const name of await readdir(join(CCSN_DIR, genus))) {
      byHash.set(sha1(await readFile(join(CCSN_DIR, genus, name))), `${genus}/${name}`);
    }
  }
  return byHash;
}

/** Each frame's instant and the CCSN photograph it holds. */
interface FramePhoto {
  at: number;
  photo: string;
}

async function framePhotos(day: RecordedDay, byHash: Map<string, string>): Promise<FramePhoto[]> {
  const out: FramePhoto[] = [];
  for (const frame of day.frames) {
    const photo = byHash.get(sha1(await frame.readJpeg()));
    assert.ok(photo, `${frame.file} is not a CCSN photograph`);
    out.push({ at: frame.capturedAt, photo });
  }
  return out;
}

test('the Bruges day reads back: one reply byte for byte, 144 frames 10 min apart', async () => {
  const outDir = await mkdtemp(join(tmpdir(), 'skychoir-days-'));
  try {
    const dayDir = await buildBrugesDay(outDir, { sharedDir: SHARED_DIR });
    const day = await readDay(dayDir, silentLogger());

    assert.equal(dayDir, join(outDir, 'bruges-2023-07-29'));
    assert.equal(day.manifest.startAt, Date.parse('2023-07-28T22:00:00Z'));
    assert.equal(day.manifest.endAt, Date.parse('2023-07-29T22:00:00Z'));
    const place = { name: 'Bruges', latitude: 51.2, longitude: 3.2, timezone: 'Europe/Brussels' };
    assert.deepEqual(day.manifest.place, place);
    assert.deepEqual(day.problems, []);

    assert.equal(day.weather.length, 1);
    const [reply] = day.weather;
    assert.equal(reply!.receivedAt, day.manifest.startAt);
    assert.equal(reply!.status, 200);
    assert.equal(reply!.contentType, 'application/json');
    assert.deepEqual(await readFile(join(dayDir, reply!.file)), await readFile(REPLY_FILE));

    assert.equal(day.frames.length, 144);
    day.frames.forEach((frame, i) => {
      assert.equal(frame.capturedAt, day.manifest.startAt + i * 600_000);
    });

    const manifestText = await readFile(join(dayDir, 'manifest.json'), 'utf8');
    const indexText = await readFile(join(dayDir, 'frames.jsonl'), 'utf8');
    const instants = [
      ...manifestText.matchAll(/"(?:startAt|endAt)": "([^"]+)"/g),
      ...indexText.matchAll(/"capturedAt":"([^"]+)"/g),
    ];
    assert.equal(instants.length, 146);
    for (const instant of instants) {
      assert.match(instant[1]!, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
});

test('the Bruges day has birds only at 18:40, 19:20, 20:10 and skies fit the hour', async () => {
  const outDir = await mkdtemp(join(tmpdir(), 'skychoir-days-'));
  try {
    const day = await readDay(await buildBrugesDay(outDir), silentLogger());
    const photos = await framePhotos(day, await ccsnByHash());

    const birdFrames = photos.filter(({ photo }) => BIRDS.includes(photo));
    assert.deepEqual(birdFrames, [
      { at: brugesLocal('18:40'), photo: 'Ac/Ac-N214.jpg' },
      { at: brugesLocal('19:20'), photo: 'Cs/Cs-N248.jpg' },
      { at: brugesLocal('20:10'), photo: 'Cc/Cc-N062.jpg' },
    ]);
    assert.ok(photos.every(({ photo }) => !FALSE_POSITIVES.includes(photo)), 'no false positive');

    const generaBetween = (from: string, to: string): string[] => {
      const inWindow = photos.filter(({ at }) => at >= brugesLocal(from) && at < brugesLocal(to));
      const skies = inWindow.filter(({ photo }) => !BIRDS.includes(photo));
      return [...new Set(skies.map(({ photo }) => photo.slice(0, 2)))].sort();
    };
    assert.deepEqual(generaBetween('00:00', '04:00'), ['Ci', 'Cs'], 'high cloud overnight');
    assert.deepEqual(generaBetween('05:00', '08:00'), ['As', 'Sc', 'St'], 'a low morning deck');
    assert.deepEqual(generaBetween('08:00', '18:00'), ['Ns', 'St'], 'under the drizzle');
    assert.deepEqual(generaBetween('18:00', '20:00'), ['Ci', 'Cu'], 'fair in the evening');
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
});

test('the tiny day spans the drizzle stop, 5 min frames, one bird, same each build', async () => {
  const outDir = await mkdtemp(join(tmpdir(), 'skychoir-days-'));
  try {
    const first = await readDay(await buildTinyDay(outDir), silentLogger());
    const byHash = await ccsnByHash();
    const firstPhotos = await framePhotos(first, byHash);
    const second = await readDay(await buildTinyDay(outDir), silentLogger());
    const secondPhotos = await framePhotos(second, byHash);

    assert.equal(first.manifest.startAt, brugesLocal('17:00'));
    assert.equal(first.manifest.endAt, brugesLocal('19:00'));
    assert.equal(first.weather.length, 1);
    assert.equal(first.weather[0]!.receivedAt, brugesLocal('17:00'));
    assert.equal(first.frames.length, 24);
    const birdFrames = firstPhotos.filter(({ photo }) => BIRDS.includes(photo));
    assert.deepEqual(birdFrames, [{ at: brugesLocal('18:40'), photo: 'Ac/Ac-N214.jpg' }]);
    assert.deepEqual(secondPhotos, firstPhotos, 'a rebuild chooses the same photographs');

    const before = firstPhotos.filter(({ at }) => at < brugesLocal('18:00'));
    assert.ok(before.every(({ photo }) => /^(St|Ns)\//.test(photo)), 'drizzle until 18:00');
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
});

test('the builder refuses to replace a folder that is not a recorded day', async () => {
  const outDir = await mkdtemp(join(tmpdir(), 'skychoir-days-'));
  try {
    await mkdir(join(outDir, 'bruges-2023-07-29-tiny'));
    await writeFile(join(outDir, 'bruges-2023-07-29-tiny', 'notes.txt'), 'not a day');

    await assert.rejects(buildTinyDay(outDir), /is not a recorded day/);
    assert.deepEqual(await readdir(join(outDir, 'bruges-2023-07-29-tiny')), ['notes.txt']);
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
});
