import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RenderStopped, renderDay } from '../../src/app/render.js';
import { InputError } from '../../src/errors.js';
import { decodeWithFfmpeg, rms } from '../../src/audio/measure.js';
import { loadConfig } from '../../src/config/load.js';
import { buildTinyDay } from '../../tools/make-test-days.js';
import { memoryLogger } from '../support/logs.js';
import { REPO_DIR, SHARED_DIR } from '../support/paths.js';

test('a malformed weather reply, a corrupt JPEG and a missing stem are each logged clearly and the render completes', async () => {
  const work = await mkdtemp(join(tmpdir(), 'skychoir-faults-'));
  const dayDir = await buildTinyDay(work);

  // A second reply, cut off half-way, arrives ten minutes in.
  const manifest = JSON.parse(await readFile(join(dayDir, 'manifest.json'), 'utf8')) as { startAt: string };
  const goodReply = await readFile(join(SHARED_DIR, 'weather/open-meteo/archive-bruges-2023-07-29-hourly.json'));
  await writeFile(join(dayDir, 'weather/0002-open-meteo.json'), goodReply.subarray(0, goodReply.length / 2));
  const receivedAt = new Date(Date.parse(manifest.startAt) + 10 * 60_000).toISOString();
  await appendFile(
    join(dayDir, 'weather.jsonl'),
    `${JSON.stringify({ receivedAt, provider: 'open-meteo', status: 200, contentType: 'application/json', file: 'weather/0002-open-meteo.json' })}\n`,
  );

  // The third frame is garbage.
  await writeFile(join(dayDir, 'frames/000003.jpg'), Buffer.from('this is not a JPEG at all, only some words'));

  // The stem pack lacks one of its files.
  const stemsDir = join(work, 'stems');
  await cp(join(REPO_DIR, 'samples/stems'), stemsDir, { recursive: true });
  await rm(join(stemsDir, 'pad-bright-ah.ogg'));

  const config = loadConfig({ sets: [`vision.modelDir=${join(SHARED_DIR, 'models')}`, `audio.stemsDir=${stemsDir}`] });
  const { log, lines } = memoryLogger();
  const outPath = join(work, 'tiny.ogg');
  await renderDay({ config, dayDir, outPath, speed: 60, logPath: `${outPath}.json`, log });

  const problems = lines.filter((line) => Number(line.level) >= 40).map((line) => JSON.stringify(line));
  assert.ok(problems.some((p) => p.includes('weather reply rejected') && p.includes('open-meteo')), problems.join('\n'));
  assert.ok(problems.some((p) => p.includes('frame rejected') && p.includes('frames/000003.jpg')), problems.join('\n'));
  assert.ok(problems.some((p) => p.includes('pad-bright-ah') && p.includes('pad-bright-ah.ogg')), problems.join('\n'));

  const renderLog = JSON.parse(await readFile(`${outPath}.json`, 'utf8')) as { events: Array<{ name: string }> };
  assert.ok(renderLog.events.some((event) => event.name === 'weather.rejected'));
  assert.ok(renderLog.events.some((event) => event.name === 'frame.rejected'));
  assert.ok(renderLog.events.filter((event) => event.name === 'sky.observed').length > 10, 'later frames still analysed');

  const audio = await decodeWithFfmpeg(outPath);
  assert.ok(audio.left.length >= 119 * 48_000, `rendered ${audio.left.length / 48_000} s`);
  assert.ok(rms(audio, 0, audio.left.length) > 0.005, 'the render is not silent');
});

test('without a detector the day still renders, frames still give cloud cover, and no bird is reported', async () => {
  const work = await mkdtemp(join(tmpdir(), 'skychoir-blind-'));
  const dayDir = await buildTinyDay(work);
  const config = loadConfig({
    sets: [`vision.modelDir=${join(work, 'no-models')}`, 'vision.fetchMissingModel=false', `audio.stemsDir=${join(REPO_DIR, 'samples/stems')}`],
  });
  const { log, lines } = memoryLogger();
  const outPath = join(work, 'blind.ogg');
  await renderDay({ config, dayDir, outPath, speed: 120, logPath: `${outPath}.json`, log });

  assert.ok(lines.some((line) => line.msg === 'bird detector unavailable; frames give sky cover only' && line.component === 'detector'));
  const renderLog = JSON.parse(await readFile(`${outPath}.json`, 'utf8')) as { events: Array<{ name: string }> };
  assert.ok(renderLog.events.filter((event) => event.name === 'sky.observed').length > 10);
  assert.equal(renderLog.events.filter((event) => event.name === 'bird.seen').length, 0);
  assert.ok(rms(await decodeWithFfmpeg(outPath), 0, 48_000 * 60) > 0.005);
});

test('a render stopped half-way leaves neither the file nor a partial one behind', async () => {
  const work = await mkdtemp(join(tmpdir(), 'skychoir-stopped-'));
  const dayDir = await buildTinyDay(work);
  const config = loadConfig({ sets: ['vision.fetchMissingModel=false', `vision.modelDir=${join(work, 'no-models')}`] });
  const outPath = join(work, 'stopped.flac');
  const stop = new AbortController();

  const rendering = renderDay({
    config, dayDir, outPath, speed: 60, logPath: `${outPath}.json`, log: memoryLogger().log,
    signal: stop.signal,
    onProgress: (fraction) => {
      if (fraction > 0.3) stop.abort();
    },
  });

  await assert.rejects(rendering, (error: unknown) => error instanceof RenderStopped && error.audioSeconds > 0);
  assert.deepEqual((await readdir(work)).filter((name) => name.startsWith('stopped')), []);
});

test('an output that cannot be written fails before any rendering, naming the file', async () => {
  const work = await mkdtemp(join(tmpdir(), 'skychoir-unwritable-'));
  const blocker = join(work, 'not-a-folder');
  await writeFile(blocker, 'a file where a folder should be');
  const config = loadConfig({ sets: ['vision.fetchMissingModel=false'] });
  const { log, lines } = memoryLogger();

  for (const [outPath, logPath] of [[join(blocker, 'day.ogg'), join(work, 'log.json')], [join(work, 'day.ogg'), join(blocker, 'log.json')]] as const) {
    await assert.rejects(
      renderDay({ config, dayDir: '/nonexistent/day', outPath, speed: 60, logPath, log }),
      (error: unknown) => error instanceof InputError && error.message.includes(blocker),
    );
  }
  assert.ok(!lines.some((line) => line.msg === 'render started'));
});

test('a speed that would play the day in under a second is refused, naming the highest that works', async () => {
  const work = await mkdtemp(join(tmpdir(), 'skychoir-speed-'));
  const dayDir = await buildTinyDay(work);
  const config = loadConfig({ sets: ['vision.fetchMissingModel=false', `vision.modelDir=${join(work, 'no-models')}`] });
  const outPath = join(work, 'too-fast.flac');

  await assert.rejects(
    renderDay({ config, dayDir, outPath, speed: 1e9, logPath: `${outPath}.json`, log: memoryLogger().log }),
    (error: unknown) => error instanceof InputError && /speed 1000000000 .*highest speed for this day is 7200/.test(error.message),
  );
});
