import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/errors.js';
import { analyseAudio, type AudioAnalysis } from '../../src/report/audio-analysis.js';
import { localHourTicks, timeAxis } from '../../src/report/axis.js';
import { parseRenderLog, spansFromPlan } from '../../src/report/report-data.js';

const ROWS = 100;
const [LOW_HZ, HIGH_HZ] = [50, 12_000];
let analysis: AudioAnalysis;

/** Row of the log-frequency axis that holds `hz`. */
const rowOf = (hz: number) => Math.floor((ROWS * Math.log(hz / LOW_HZ)) / Math.log(HIGH_HZ / LOW_HZ));

before(async () => {
  // 4 s: a 1 kHz sine at amplitude 0.5, then 2 s of a 5 kHz sine at 0.1, the same in both channels.
  const path = join(await mkdtemp(join(tmpdir(), 'skychoir-report-parts-')), 'tones.wav');
  const expression = 'if(lt(t,2),0.5*sin(2*PI*1000*t),0.1*sin(2*PI*5000*t))';
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `aevalsrc='${expression}|${expression}':s=48000:d=4`, path]);
  analysis = await analyseAudio(path, { ffmpegPath: 'ffmpeg', durationS: 4, columns: 40, rows: ROWS, lowHz: LOW_HZ, highHz: HIGH_HZ, sliceS: 2 });
});

test('the spectrogram puts each tone in its log-frequency row and its time column', () => {
  const loudestRow = (column: number) => {
    const cells = analysis.power.subarray(column * ROWS, (column + 1) * ROWS);
    return cells.indexOf(Math.max(...cells));
  };
  for (const column of [2, 10, 17]) assert.ok(Math.abs(loudestRow(column) - rowOf(1000)) <= 1, `column ${column}: row ${loudestRow(column)}`);
  for (const column of [22, 30, 38]) assert.ok(Math.abs(loudestRow(column) - rowOf(5000)) <= 1, `column ${column}: row ${loudestRow(column)}`);
});

test('each slice measures its own level and brightness', () => {
  assert.equal(analysis.slices.length, 2);
  const [first, second] = analysis.slices as [AudioAnalysis['slices'][0], AudioAnalysis['slices'][0]];
  assert.ok(Math.abs(first.rms - 0.5 / Math.SQRT2) < 0.01, `rms ${first.rms}`);
  assert.ok(Math.abs(second.rms - 0.1 / Math.SQRT2) < 0.005, `rms ${second.rms}`);
  assert.ok(Math.abs(first.centroidHz - 1000) < 150, `centroid ${first.centroidHz}`);
  assert.ok(Math.abs(second.centroidHz - 5000) < 400, `centroid ${second.centroidHz}`);
});

test('a file ffmpeg cannot read is an error naming it', async () => {
  await assert.rejects(
    analyseAudio('/nonexistent/day.ogg', { ffmpegPath: 'ffmpeg', durationS: 1, columns: 4, rows: 4, lowHz: 50, highHz: 12_000, sliceS: 1 }),
    /cannot analyse \/nonexistent\/day\.ogg/,
  );
});

const day = { place: { latitude: 51.2, longitude: 3.2, timezone: 'Europe/Brussels' }, startAt: '2023-07-28T22:00:00.000Z', endAt: '2023-07-29T22:00:00.000Z' };
const entry = (frame: number, action: 'start' | 'stop', stemId: string, voiceId: number, layer = 'coarse') =>
  ({ frame, at: day.startAt, layer, action, stemId, voiceId, reason: `${action} ${stemId}` });

test('spans: a stop ends its voice, a one-shot ends with its file, a voice never stopped lasts to the end', () => {
  const log = parseRenderLog({
    day, speed: 480, seed: 1, sampleRate: 48_000, audioFrames: 1_000_000, events: [],
    plan: [
      entry(0, 'start', 'bed', 1),
      entry(500_000, 'stop', 'bed', 1),
      entry(500_000, 'start', 'pad', 2),
      entry(600_000, 'start', 'call', 3, 'fine'),
    ],
  }, 'test log');
  const spans = spansFromPlan(log, { call: { durationFrames: 96_000, loop: false }, pad: { durationFrames: 48_000, loop: true } });

  assert.deepEqual(spans.map((s) => [s.stemId, s.startFrame, s.endFrame, s.endReason]), [
    ['bed', 0, 500_000, 'stop bed'],
    ['pad', 500_000, 1_000_000, 'end of the day'],
    ['call', 600_000, 696_000, 'ended'],
  ]);
  assert.equal(spans[1]!.startAt, '2023-07-28T23:23:20.000Z'); // 500000 frames = 10.4 s of audio = 5000 s (1 h 23 min 20 s) of sky at 480x
});

test('a render log of the wrong shape is an InputError naming the field', () => {
  assert.throws(
    () => parseRenderLog({ day, speed: -1, seed: 1, sampleRate: 48_000, audioFrames: 1, events: [], plan: [] }, 'out/day.ogg.json'),
    (error: unknown) => error instanceof InputError && /out\/day\.ogg\.json.*speed/.test(error.message),
  );
});

test("the axis labels the place's local hours, 23 on the day clocks go forward", () => {
  const startMs = Date.parse('2023-03-25T23:00:00Z');
  const ticks = localHourTicks(timeAxis(0, 2300, startMs, Date.parse('2023-03-26T22:00:00Z'), 'Europe/Brussels'));
  assert.equal(ticks.length, 24); // 00:00 to 23:00 without 02:00, and the next midnight
  assert.deepEqual(ticks.slice(0, 3).map((t) => t.label), ['00:00', '01:00', '03:00']);
  assert.equal(ticks.at(-1)!.label, '00:00');
});
