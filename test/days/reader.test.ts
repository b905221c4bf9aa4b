import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { silentLogger } from '../../src/log.js';
import { DayFormatError, readDay } from '../../src/days/reader.js';
import { DayRecorder } from '../../src/days/recorder.js';
import type { DayManifest } from '../../src/days/format.js';
import { buildTinyDay } from '../../tools/make-test-days.js';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xd9]);

function capturingLogger(): { log: Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const lines = (): Record<string, unknown>[] =>
    chunks.map((chunk) => JSON.parse(chunk) as Record<string, unknown>);
  return { log: pino({ level: 'info' }, stream), lines };
}

async function withTempDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'skychoir-reader-'));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const berlinManifest = (): DayManifest => ({
  format: 1,
  place: { name: 'Berlin', latitude: 52.52, longitude: 13.4, timezone: 'Europe/Berlin' },
  startAt: Date.parse('2025-10-25T22:00:00Z'),
  endAt: Date.parse('2025-10-26T23:00:00Z'),
  source: 'test',
});

test('a day with a corrupt index line loads the rest and reports the file and line', async () => {
  await withTempDir(async (outDir) => {
    const dayDir = await buildTinyDay(outDir);
    const indexPath = join(dayDir, 'frames.jsonl');
    const lines = (await readFile(indexPath, 'utf8')).trimEnd().split('\n');
    lines.splice(2, 0, '{"capturedAt":"2023-07-29T15:11:00Z","file":"frames/00');
    lines.splice(5, 0, '{"capturedAt":12345,"file":"frames/000004.jpg"}');
    await writeFile(indexPath, `${lines.join('\n')}\n`);
    const { log, lines: logged } = capturingLogger();

    const day = await readDay(dayDir, log);

    assert.equal(day.frames.length, 24, 'every good line still loads');
    assert.deepEqual(day.problems.map(({ file, line }) => ({ file, line })), [
      { file: 'frames.jsonl', line: 3 },
      { file: 'frames.jsonl', line: 6 },
    ]);
    assert.match(day.problems[0]!.problem, /not JSON/);
    assert.match(day.problems[1]!.problem, /capturedAt/);
    const warnings = logged().filter((entry) => entry.level === 40);
    assert.deepEqual(
      warnings.map((entry) => [entry.file, entry.line]),
      [['frames.jsonl', 3], ['frames.jsonl', 6]],
    );
  });
});

test('a missing manifest is an error naming the file', async () => {
  await withTempDir(async (dir) => {
    await assert.rejects(readDay(dir, silentLogger()), (error: unknown) => {
      assert.ok(error instanceof DayFormatError);
      assert.equal(error.file, join(dir, 'manifest.json'));
      assert.match(error.message, /manifest\.json: cannot be read/);
      return true;
    });
  });
});

test('a manifest of another format or with local times is an error naming the field', async () => {
  await withTempDir(async (dir) => {
    const manifest = {
      format: 2,
      place: { name: 'Bruges', latitude: 51.2, longitude: 3.2, timezone: 'Europe/Brussels' },
      startAt: '2023-07-29T00:00:00+02:00',
      endAt: '2023-07-29T22:00:00Z',
      source: 'test',
    };
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
    await assert.rejects(readDay(dir, silentLogger()), /manifest\.json: format: .*\(found 2\)/);

    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, format: 1 }));
    const localTime = /manifest\.json: startAt: .*"2023-07-29T00:00:00\+02:00"/;
    await assert.rejects(readDay(dir, silentLogger()), localTime);
  });
});

test('every problem of a manifest is named at once; an empty window names both instants, not the whole manifest', async () => {
  await withTempDir(async (dir) => {
    const place = { name: 'Bruges', latitude: 91, longitude: 3.2, timezone: 'Europe/Brussels' };
    const at = '2023-07-29T00:00:00Z';
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ format: 1, place, startAt: at, endAt: at }));

    await assert.rejects(readDay(dir, silentLogger()), (error: unknown) => {
      assert.ok(error instanceof DayFormatError);
      assert.match(error.problem, /place\.latitude: .*\(found 91\)/);
      assert.match(error.problem, /; source: /);
      return true;
    });

    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ format: 1, place: { ...place, latitude: 51.2 }, startAt: at, endAt: at, source: 'test' }));
    await assert.rejects(readDay(dir, silentLogger()), (error: unknown) => {
      assert.ok(error instanceof DayFormatError);
      assert.equal(error.problem, 'endAt: endAt must be after startAt (2023-07-29T00:00:00Z) (found "2023-07-29T00:00:00Z")');
      return true;
    });
  });
});

test('a frame whose file is missing is reported with its line and left out; an empty day is warned about', async () => {
  await withTempDir(async (dir) => {
    const recorder = await DayRecorder.create(dir, berlinManifest());
    await recorder.addFrame({ capturedAt: Date.parse('2025-10-26T00:00:00Z'), jpeg: JPEG });
    await recorder.addFrame({ capturedAt: Date.parse('2025-10-26T00:10:00Z'), jpeg: JPEG });
    await recorder.close();
    await rm(join(dir, 'frames/000001.jpg'));

    const { log, lines } = capturingLogger();
    const day = await readDay(dir, log);

    assert.deepEqual(day.frames.map((frame) => frame.file), ['frames/000002.jpg']);
    assert.deepEqual(day.problems.map(({ file, line }) => [file, line]), [['frames.jsonl', 1]]);
    assert.match(day.problems[0]!.problem, /cannot read frames\/000001\.jpg: .*ENOENT/);
    const read = lines().find((line) => line.msg === 'recorded day read');
    assert.equal(read?.skipped, 1);

    await rm(join(dir, 'frames/000002.jpg'));
    const empty = capturingLogger();
    await readDay(dir, empty.log);
    assert.ok(empty.lines().some((line) => line.level === 40 && /no weather reply and no frame/.test(String(line.msg))));
  });
});

test('lines are sorted by instant, ties keep file order, lines outside are skipped', async () => {
  await withTempDir(async (dir) => {
    const recorder = await DayRecorder.create(dir, berlinManifest());
    await recorder.close();
    await mkdir(join(dir, 'frames'), { recursive: true });
    for (const name of ['a', 'b', 'c', 'd', 'early', 'late']) await writeFile(join(dir, `frames/${name}.jpg`), JPEG);
    const line = (capturedAt: string, file: string): string => JSON.stringify({ capturedAt, file });
    await writeFile(
      join(dir, 'frames.jsonl'),
      [
        line('2025-10-26T01:30:00Z', 'frames/c.jpg'),
        line('2025-10-26T00:30:00Z', 'frames/a.jpg'),
        line('2025-10-26T01:30:00Z', 'frames/d.jpg'),
        line('2025-10-25T21:59:59Z', 'frames/early.jpg'),
        '',
        line('2025-10-26T00:30:00.000Z', 'frames/b.jpg'),
        line('2025-10-26T23:00:00.001Z', 'frames/late.jpg'),
      ].join('\n'),
    );

    const day = await readDay(dir, silentLogger());

    const files = day.frames.map((frame) => frame.file);
    assert.deepEqual(files, ['frames/a.jpg', 'frames/b.jpg', 'frames/c.jpg', 'frames/d.jpg']);
    const outside = day.problems.map(({ line: number, problem }) => [
      number,
      /outside the day's window/.test(problem),
    ]);
    assert.deepEqual(outside, [
      [4, true],
      [7, true],
    ]);
    const lengthMs = day.manifest.endAt - day.manifest.startAt;
    assert.equal(lengthMs, 25 * 3_600_000, 'the day of the autumn change lasts 25 hours');
  });
});

test('a weather line whose body file is missing is reported and skipped', async () => {
  await withTempDir(async (dir) => {
    const recorder = await DayRecorder.create(dir, berlinManifest());
    await recorder.addWeatherReply({
      receivedAt: Date.parse('2025-10-26T00:00:00Z'),
      provider: 'open-meteo',
      status: 200,
      contentType: 'application/json',
      body: '{}',
    });
    await recorder.addWeatherReply({
      receivedAt: Date.parse('2025-10-26T01:00:00Z'),
      provider: 'open-meteo',
      status: 503,
      contentType: 'text/html',
      body: '<html>busy</html>',
    });
    await recorder.close();
    await rm(join(dir, 'weather/0001-open-meteo.json'));

    const day = await readDay(dir, silentLogger());

    assert.deepEqual(day.weather.map(({ status, body, file }) => ({ status, body, file })), [
      { status: 503, body: '<html>busy</html>', file: 'weather/0002-open-meteo.html' },
    ]);
    assert.equal(day.problems.length, 1);
    assert.match(day.problems[0]!.problem, /cannot read weather\/0001-open-meteo\.json/);
  });
});

test('an index line that points outside its folder is refused', async () => {
  await withTempDir(async (dir) => {
    const recorder = await DayRecorder.create(dir, berlinManifest());
    await recorder.close();
    const escaping = { capturedAt: '2025-10-26T00:00:00Z', file: 'frames/../../etc/passwd' };
    await writeFile(join(dir, 'frames.jsonl'), `${JSON.stringify(escaping)}\n`);

    const day = await readDay(dir, silentLogger());

    assert.equal(day.frames.length, 0);
    assert.match(day.problems[0]!.problem, /plain relative path/);
  });
});

test('the recorder refuses a folder that is not empty and can move the day end', async () => {
  await withTempDir(async (dir) => {
    await writeFile(join(dir, 'something'), 'x');
    await assert.rejects(DayRecorder.create(dir, berlinManifest()), /not empty/);
    await rm(join(dir, 'something'));

    const endAt = Date.parse('2025-10-27T00:00:00Z');
    const recorder = await DayRecorder.create(dir, { ...berlinManifest(), endAt });
    await recorder.addFrame({ capturedAt: Date.parse('2025-10-26T00:30:00Z'), jpeg: JPEG });
    await recorder.close(Date.parse('2025-10-26T12:00:00Z'));

    const day = await readDay(dir, silentLogger());
    assert.equal(day.manifest.endAt, Date.parse('2025-10-26T12:00:00Z'));
    assert.deepEqual(await day.frames[0]!.readJpeg(), JPEG);
  });
});
