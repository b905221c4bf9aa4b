import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';
import { DailyFileOutput, type DailyFileFormat } from '../../src/output/daily-file-output.js';
import { VirtualClock } from '../../src/time/clock.js';
import { decode, SAMPLE_RATE, tone } from './live-support.js';

/** 2026-12-03 23:59:57 in Brussels (UTC+1). */
const BEFORE_MIDNIGHT = Date.UTC(2026, 11, 3, 22, 59, 57);

async function crossMidnight(format: DailyFileFormat): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'skychoir-daily-'));
  const earlier = join(dir, `skychoir-2026-12-04.${format}`);
  await writeFile(earlier, 'an earlier run of the same day');
  const clock = new VirtualClock(BEFORE_MIDNIGHT);
  const output = new DailyFileOutput({
    dir, format, timeZone: 'Europe/Brussels', ffmpegPath: 'ffmpeg', sampleRate: SAMPLE_RATE, clock, log: silentLogger(),
  });

  await output.start();
  for (let second = 0; second < 6; second++) {
    output.write(tone(1, 440, second * SAMPLE_RATE));
    await clock.advanceTo(BEFORE_MIDNIGHT + (second + 1) * 1000);
  }
  await output.stop();

  const names = (await readdir(dir)).sort();
  assert.deepEqual(names, [`skychoir-2026-12-03.${format}`, `skychoir-2026-12-04-2.${format}`, `skychoir-2026-12-04.${format}`]);
  assert.equal(await readFile(earlier, 'utf8'), 'an earlier run of the same day', 'the earlier file is untouched');
  assert.deepEqual(output.completed, [join(dir, names[0]!), join(dir, names[1]!)]);

  for (const name of names.slice(0, 2)) {
    const { errors, seconds } = await decode(await readFile(join(dir, name)));
    assert.equal(errors, '', name);
    assert.ok(Math.abs(seconds - 3) < 0.06, `${name}: ${seconds} s, expected the 3 s written that day`);
  }
  assert.equal(output.health().restarts, 0);
  await rm(dir, { recursive: true });
}

test('Ogg: local midnight splits the mix into two complete files named by their dates', async () => {
  await crossMidnight('ogg');
});

test('FLAC and MP3 daily files are finished at midnight too', async () => {
  await crossMidnight('flac');
  await crossMidnight('mp3');
});

test('a recording folder that cannot be made is an input error naming the setting', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'skychoir-daily-'));
  const file = join(dir, 'a-file');
  await writeFile(file, '');
  const output = new DailyFileOutput({
    dir: join(file, 'days'), format: 'ogg', timeZone: 'UTC', ffmpegPath: 'ffmpeg', sampleRate: SAMPLE_RATE,
    clock: new VirtualClock(0), log: silentLogger(),
  });
  await assert.rejects(output.start(), (error: unknown) =>
    error instanceof InputError && /a-file\/days.*output\.recordDir/.test(error.message));
  await rm(dir, { recursive: true });
});
