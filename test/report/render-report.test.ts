import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { renderDay, type RenderResult } from '../../src/app/render.js';
import type { PlanEntry } from '../../src/composer/composer.js';
import { loadConfig } from '../../src/config/load.js';
import type { ReportHour } from '../../src/report/report.js';
import type { StemSpan } from '../../src/report/report-data.js';
import { buildBrugesDay } from '../../tools/make-test-days.js';
import { memoryLogger } from '../support/logs.js';
import { REPO_DIR, SHARED_DIR } from '../support/paths.js';

/** A day in three minutes, as test/app/render-day.test.ts renders it. */
const SPEED = 480;

interface Report {
  picture: { width: number; height: number; png: string };
  layers: Record<'coarse' | 'middle' | 'fine', StemSpan[]>;
  events: Array<{ name: string; at: string }>;
  hours: ReportHour[];
}

const config = loadConfig({
  sets: [`vision.modelDir=${join(SHARED_DIR, 'models')}`, `audio.stemsDir=${join(REPO_DIR, 'samples/stems')}`],
});

let outDir: string;
let dayDir: string;
let result: RenderResult;
let renderLog: { plan: PlanEntry[]; events: unknown[]; audioFrames: number };
let report: Report;

async function render(name: string, withReport: boolean): Promise<RenderResult> {
  const path = join(outDir, `${name}.ogg`);
  return renderDay({ config, dayDir, outPath: path, speed: SPEED, logPath: `${path}.json`, log: memoryLogger().log, report: withReport });
}

before(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'skychoir-report-'));
  dayDir = await buildBrugesDay(outDir);
  result = await render('day', true);
  renderLog = JSON.parse(await readFile(join(outDir, 'day.ogg.json'), 'utf8'));
  report = JSON.parse(await readFile(join(outDir, 'day.ogg.report.json'), 'utf8'));
});

test('a render with a report writes the picture (PNG of the stated size, SVG) and the JSON next to the audio', async () => {
  assert.ok(result.report);
  assert.equal(result.report.pngPath, join(outDir, 'day.ogg.report.png'));
  const png = await sharp(result.report.pngPath).metadata();
  assert.equal(png.format, 'png');
  assert.equal(png.width, 2000);
  assert.equal(png.height, result.report.height);
  assert.deepEqual([report.picture.width, report.picture.height], [png.width, png.height]);
  assert.ok(png.height! > 800, `height ${png.height}`);

  const svg = await readFile(result.report.svgPath, 'utf8');
  assert.match(svg, /^<svg /);
  assert.match(svg, /Bruges, 2023-07-29/);
  assert.match(svg, /speed 480× · seed 1/);
  const played = new Set(renderLog.plan.filter((e) => e.action === 'start').map((e) => e.stemId));
  for (const stem of played) assert.match(svg, new RegExp(`>${stem}<`));
});

test("the report's spans are the render log's plan: each start with its reason, each stop where it stopped", () => {
  const spans = [...report.layers.coarse, ...report.layers.middle, ...report.layers.fine];
  const starts = renderLog.plan.filter((e) => e.action === 'start');
  assert.equal(spans.length, starts.length);

  for (const start of starts) {
    const span = spans.find((s) => s.voiceId === start.voiceId);
    assert.ok(span, `voice ${start.voiceId}`);
    assert.deepEqual([span.layer, span.stemId, span.startFrame, span.reason], [start.layer, start.stemId, start.frame, start.reason]);
    assert.ok(report.layers[start.layer].includes(span));

    const stop = renderLog.plan.find((e) => e.action === 'stop' && e.voiceId === start.voiceId);
    if (stop) assert.ok(span.endFrame <= stop.frame && span.endFrame > span.startFrame, `voice ${start.voiceId} ends ${span.endFrame}`);
    if (stop && span.layer !== 'fine') assert.deepEqual([span.endFrame, span.endReason], [stop.frame, stop.reason]);
    if (!stop) assert.ok(span.endFrame <= renderLog.audioFrames);
  }

  const accents = report.layers.fine;
  assert.ok(accents.length >= 3);
  for (const accent of accents) assert.ok(accent.endFrame - accent.startFrame < 60 * 48_000, `${accent.stemId} is a one-shot, not the rest of the day`);
  assert.equal(report.events.length, renderLog.events.length);
});

test('the drizzle hours and the clear evening differ in the measured features of the report', () => {
  assert.equal(report.hours.length, 24);
  const drizzle = report.hours.filter((h) => (h.precipitationMmPerHour ?? 0) > 0);
  const evening = report.hours.filter((h) => ['19:00', '20:00', '21:00'].includes(h.localTime));
  assert.ok(drizzle.length >= 6, `${drizzle.length} drizzle hours`);
  assert.ok(evening.every((h) => h.precipitationMmPerHour === 0));
  assert.ok(drizzle.every((h) => h.stems.includes('texture-drizzle')));
  assert.ok(evening.every((h) => !h.stems.includes('texture-drizzle')));

  const mean = (hours: ReportHour[], value: (h: ReportHour) => number) => hours.reduce((sum, h) => sum + value(h), 0) / hours.length;
  const [centroidDrizzle, centroidEvening] = [mean(drizzle, (h) => h.centroidHz), mean(evening, (h) => h.centroidHz)];
  const [levelDrizzle, levelEvening] = [mean(drizzle, (h) => h.rmsDb!), mean(evening, (h) => h.rmsDb!)];
  assert.ok(report.hours.every((h) => h.bandsDb.length === 8));
  assert.ok(centroidDrizzle > 50 && centroidEvening > 50 && levelDrizzle < 0 && levelEvening > -80);
  const centroidChange = Math.abs(centroidDrizzle - centroidEvening) / Math.min(centroidDrizzle, centroidEvening);
  // The drizzle texture is a hiss: the top band (7.5-12 kHz) carries it.
  const [hissDrizzle, hissEvening] = [mean(drizzle, (h) => h.bandsDb.at(-1)!), mean(evening, (h) => h.bandsDb.at(-1)!)];
  assert.ok(
    centroidChange > 0.15 || Math.abs(levelDrizzle - levelEvening) > 2 || hissDrizzle - hissEvening > 2,
    `centroid ${centroidDrizzle.toFixed(0)} vs ${centroidEvening.toFixed(0)} Hz, level ${levelDrizzle.toFixed(1)} vs ${levelEvening.toFixed(1)} dB, ` +
      `7.5-12 kHz ${hissDrizzle.toFixed(1)} vs ${hissEvening.toFixed(1)} dB`,
  );
});

test('the report does not change the audio: the same render without it is the same file, bit for bit', async () => {
  const plain = await render('plain', false);
  assert.equal(plain.report, undefined);
  const hash = async (name: string) => createHash('sha256').update(await readFile(join(outDir, name))).digest('hex');
  assert.equal(await hash('plain.ogg'), await hash('day.ogg'));
});
