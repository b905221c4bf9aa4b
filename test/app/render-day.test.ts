import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderDay } from '../../src/app/render.js';
import { clickAt, decodeWithFfmpeg, rms, spectralCentroid, type DecodedAudio } from '../../src/audio/measure.js';
import type { PlanEntry } from '../../src/composer/composer.js';
import { loadScore } from '../../src/composer/score-load.js';
import { loadConfig } from '../../src/config/load.js';
import { buildBrugesDay } from '../../tools/make-test-days.js';
import { memoryLogger, problemsIn } from '../support/logs.js';
import { REPO_DIR, SHARED_DIR } from '../support/paths.js';

/** A day in three minutes: fast enough for a test, long enough for every layer to move. */
const SPEED = 480;
const RATE = 48_000;

interface RenderLog {
  audioFrames: number;
  events: Array<{ name: string; at: string; payload: { frameId?: string } }>;
  plan: PlanEntry[];
}

let dayDir: string;
let outDir: string;
let audio: DecodedAudio;
let renderLog: RenderLog;
let logLines: Array<Record<string, unknown>>;

const config = loadConfig({
  sets: [`vision.modelDir=${join(SHARED_DIR, 'models')}`, `audio.stemsDir=${join(REPO_DIR, 'samples/stems')}`],
});

async function render(name: string, seed = 1): Promise<{ path: string; lines: Array<Record<string, unknown>> }> {
  const { log, lines } = memoryLogger();
  const path = join(outDir, `${name}.ogg`);
  await renderDay({
    config: { ...config, composer: { ...config.composer, seed } },
    dayDir,
    outPath: path,
    speed: SPEED,
    logPath: `${path}.json`,
    log,
  });
  return { path, lines };
}

/** Local Brussels hour (CEST, UTC+2) of a frame of the render. */
function frameAtLocalHour(hour: number): number {
  const startUtcHour = 22; // the day starts at 2023-07-28T22:00Z, midnight in Bruges
  return Math.round((((hour - 2 - startUtcHour + 24) % 24) * 3600 * RATE) / SPEED);
}

/** Stems whose voices have started and not yet begun to fade out at `frame`, from the plan. */
function activeStemsAt(plan: PlanEntry[], frame: number): string[] {
  const open = new Map<number, string>();
  for (const entry of plan) {
    if (entry.frame > frame) break;
    if (entry.action === 'start') open.set(entry.voiceId, entry.stemId);
    else open.delete(entry.voiceId);
  }
  return [...open.values()];
}

before(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'skychoir-render-'));
  dayDir = await buildBrugesDay(outDir);

  const first = await render('first');
  logLines = first.lines;
  audio = await decodeWithFfmpeg(first.path);
  renderLog = JSON.parse(execFileSync('cat', [`${first.path}.json`], { encoding: 'utf8' })) as RenderLog;
});

test('the Bruges day renders to a 48 kHz stereo Ogg Vorbis file of the compressed length', () => {
  const probe = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,sample_rate,channels', '-of', 'csv=p=0', join(outDir, 'first.ogg')], { encoding: 'utf8' });
  assert.equal(probe.trim(), 'vorbis,48000,2');
  assert.ok(Math.abs(audio.left.length - (24 * 3600 * RATE) / SPEED) < RATE, `length ${audio.left.length}`);
});

test('the render is heard all day: no minute of it is silent', () => {
  for (let start = 0; start + 60 * RATE <= audio.left.length; start += 60 * RATE) {
    assert.ok(rms(audio, start, start + 60 * RATE) > 0.005, `silent minute at ${start / RATE} s`);
  }
});

test('the render logged no problem', () => {
  assert.deepEqual(problemsIn(logLines), []);
});

test('no layer change clicks: every start and end of a fade passes the clean-fade measure', () => {
  // The default score's fades: every coarse and middle rule of it takes its layer's.
  const { layers } = loadScore(config.composer.scorePath);
  const fadeFrames = { coarse: layers.coarse.defaults.fadeS * RATE, middle: layers.middle.defaults.fadeS * RATE, fine: 0 };
  const changes = renderLog.plan.flatMap((entry) =>
    entry.action === 'stop' ? [entry.frame, entry.frame + fadeFrames[entry.layer]] : [entry.frame],
  );
  assert.ok(changes.length >= 10, `only ${changes.length} changes`);

  for (const frame of changes.filter((f) => f > RATE && f < audio.left.length - RATE)) {
    const { step, limit, clean } = clickAt(audio, frame);
    assert.ok(clean, `click at ${(frame / RATE).toFixed(2)} s: step ${step.toFixed(4)} > limit ${limit.toFixed(4)}`);
  }
});

test('the drizzle hours and the clear evening sound different, in stems and in measured sound', () => {
  const drizzle = [frameAtLocalHour(10), frameAtLocalHour(16)] as const;
  const evening = [frameAtLocalHour(19), frameAtLocalHour(22)] as const;

  const stemsDuring = ([from, to]: readonly [number, number]) => {
    const stems = new Set<string>();
    for (let frame = from; frame < to; frame += RATE) activeStemsAt(renderLog.plan, frame).forEach((s) => stems.add(s));
    return stems;
  };
  assert.ok(stemsDuring(drizzle).has('texture-drizzle'));
  assert.ok(!stemsDuring(evening).has('texture-drizzle'));

  const centroidDrizzle = spectralCentroid(audio, ...drizzle);
  const centroidEvening = spectralCentroid(audio, ...evening);
  const levelDrizzle = rms(audio, ...drizzle);
  const levelEvening = rms(audio, ...evening);
  const centroidChange = Math.abs(centroidDrizzle - centroidEvening) / Math.min(centroidDrizzle, centroidEvening);
  const levelChangeDb = Math.abs(20 * Math.log10(levelDrizzle / levelEvening));
  assert.ok(
    centroidChange > 0.15 || levelChangeDb > 2,
    `centroid ${centroidDrizzle.toFixed(0)} vs ${centroidEvening.toFixed(0)} Hz, level ${levelChangeDb.toFixed(2)} dB apart`,
  );
});

test('each bird photograph gives a bird.seen event answered by an accent; no other frame does', () => {
  const birdFrames = renderLog.events.filter((e) => e.name === 'bird.seen').map((e) => e.payload.frameId);
  const localTimes = renderLog.events.filter((e) => e.name === 'bird.seen').map((e) => e.at.slice(11, 16));
  assert.deepEqual(localTimes, ['16:40', '17:20', '18:10']); // 18:40, 19:20, 20:10 in Bruges

  const accents = renderLog.plan.filter((e) => e.layer === 'fine' && e.action === 'start');
  assert.equal(accents.length, birdFrames.length);
  for (const frameId of birdFrames) assert.ok(accents.some((a) => a.reason.includes(String(frameId))), `no accent for ${frameId}`);
});

test('the same day, seed and stems render the same file, bit for bit', async () => {
  const second = await render('second');
  const a = execFileSync('sha256sum', [join(outDir, 'first.ogg')], { encoding: 'utf8' }).split(' ')[0];
  const b = execFileSync('sha256sum', [second.path], { encoding: 'utf8' }).split(' ')[0];
  assert.equal(a, b);
});
