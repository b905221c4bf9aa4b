/**
 * `npm run soak`: the Bruges test day (24 hours, a frame every 2 minutes) replayed paced
 * through the real session, MP3 encoder and HTTP stream at SPEED times real time, with
 * LISTENERS listeners attached, for the whole day. Memory (heap after a full collection,
 * RSS, external, array buffers) is sampled every second of wall time; a line fitted to the
 * second half gives the growth per simulated hour, held to a bound from the run's own noise
 * (RSS is reported: it follows the allocator). Then the renderer alone renders a tenth of a
 * live day's chunks, to tell what a chunk leaves from what an hour of sky does. The
 * composer's voices and plan, the listeners and the encoder's feed are checked too.
 * Prints a table with a verdict per check and writes bench/results/soak.json.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadConfig } from '../src/config/load.js';
import { silentLogger } from '../src/log.js';
import { buildBrugesDay } from '../tools/make-test-days.js';
import { probeChunks } from './chunk-probe.js';
import { heapLeftPerContextKiB } from './context-probe.js';
import { sleep } from './live-daemon.js';
import { GapListener } from './listeners.js';
import { startPacedReplay } from './soak-replay.js';
import { fitLine, growthVerdict, type GrowthVerdict } from './soak-stats.js';

const REPO_DIR = resolve(import.meta.dirname, '..');
const SHARED_DIR = resolve(REPO_DIR, '../shared');
const { values: flags } = parseArgs({ options: { speed: { type: 'string' }, 'frame-every-min': { type: 'string' } } });
/** 24 simulated hours in 180 s of audio (and of wall time: the replay is paced) by default. */
const SPEED = positive('--speed', flags.speed ?? '480');
/** Minutes between the day's frames: fewer frames tell a per-frame cost from a per-hour one. */
const FRAME_EVERY_MIN = positive('--frame-every-min', flags['frame-every-min'] ?? '2');
/** The live daemon's chunk: a per-chunk cost is paid 172 800 times a live day. */
const CHUNK_S = 0.5;
const LEAD_S = 2;
/** Chunks a live daemon renders in a day. */
const LIVE_CHUNKS_PER_DAY = 86_400 / CHUNK_S;
const LISTENERS = 3;
/** Chunks the renderer renders alone to tell a per-chunk cost: a tenth of a live day. */
const PROBE_CHUNKS = 17_280;
const SAMPLE_EVERY_MS = 1000;
const MIB = 1024 * 1024;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

interface Sample {
  simHour: number;
  heapUsedMiB: number;
  rssMiB: number;
  externalMiB: number;
  arrayBuffersMiB: number;
  voicesHeld: number;
  planEntries: number;
  loggedEvents: number;
  listeners: number;
}

function positive(flag: string, text: string): number {
  const value = Number(text);
  if (!(value > 0)) throw new Error(`${flag} must be a positive number, got '${text}'`);
  return value;
}

function progress(line: string): void {
  process.stderr.write(`soak: ${line}\n`);
}

const work = await mkdtemp(join(tmpdir(), 'skychoir-soak-'));
progress(`building the Bruges test day with a frame every ${FRAME_EVERY_MIN} minutes`);
const dayDir = await buildBrugesDay(work, { frameEveryMin: FRAME_EVERY_MIN });
const config = loadConfig({ sets: [`vision.modelDir=${join(SHARED_DIR, 'models')}`, `audio.stemsDir=${join(REPO_DIR, 'samples/stems')}`] });

const replay = await startPacedReplay({ config, dayDir, speed: SPEED, chunkS: CHUNK_S, leadS: LEAD_S, log: silentLogger() });
const listeners = Array.from({ length: LISTENERS }, () => new GapListener(`${replay.base}/stream`));
const { session } = replay;
const dayStart = session.day.manifest.startAt;
progress(`replaying 24 h at ${SPEED}x (${(86_400 / SPEED).toFixed(0)} s) with ${LISTENERS} listeners`);

const samples: Sample[] = [];
let eventsLogged = 0;
let finished = false;
void replay.done.then(() => (finished = true));
while (!finished) {
  // The session keeps every event for a render log (bounded at 100 000); a live daemon keeps
  // none. They are counted and let go, so that the memory checks see everything else.
  eventsLogged += session.events.entries.splice(0).length;
  collectGarbage();
  const memory = process.memoryUsage();
  samples.push({
    simHour: (session.clock.now() - dayStart) / 3_600_000,
    heapUsedMiB: memory.heapUsed / MIB,
    rssMiB: memory.rss / MIB,
    externalMiB: memory.external / MIB,
    arrayBuffersMiB: memory.arrayBuffers / MIB,
    voicesHeld: session.composer.voicesIn(0, Number.MAX_SAFE_INTEGER).length,
    planEntries: session.composer.entries.length,
    loggedEvents: eventsLogged,
    listeners: replay.fanOut.size,
  });
  await Promise.race([sleep(SAMPLE_EVERY_MS), replay.done]);
}
await replay.done;
const endAt = performance.now();
for (const listener of listeners) listener.hangUp(endAt);

// The day's own length: samples taken once it had started playing.
const playing = samples.filter((sample) => sample.simHour > 0);
const hours = playing.map((sample) => sample.simHour);
const memoryChecks: Array<[string, keyof Sample]> = [
  ['heap used after GC', 'heapUsedMiB'], ['RSS', 'rssMiB'], ['external', 'externalMiB'], ['array buffers', 'arrayBuffersMiB'],
];
const memory = Object.fromEntries(memoryChecks.map(([name, key]) => [name, growthVerdict(hours, playing.map((sample) => sample[key]))])) as Record<string, GrowthVerdict>;

const half = playing.findIndex((sample) => sample.simHour >= hours.at(-1)! / 2);
const maxOf = (from: number, to: number, key: keyof Sample) => Math.max(...playing.slice(from, to).map((sample) => sample[key]));
const voices = { firstHalfMax: maxOf(0, half, 'voicesHeld'), secondHalfMax: maxOf(half, playing.length, 'voicesHeld') };
const planPerHour = fitLine(hours, playing.map((sample) => sample.planEntries)).slope;
const writeGaps = replay.writes.slice(1).map((at, index) => (at - replay.writes[index]!) / 1000);
const longestWriteGapS = Math.max(...writeGaps);
const gapLimitS = CHUNK_S + 1;
const listenerGapS = Math.max(...listeners.map((listener) => listener.longestGapMs / 1000));

// The replay's few hundred chunks move with its sky hours, so what a chunk alone leaves is
// measured apart: the renderer over a tenth of a live day's chunks.
progress(`rendering ${PROBE_CHUNKS} chunks through the renderer alone`);
const probe = await probeChunks(session.stems, collectGarbage, PROBE_CHUNKS, CHUNK_S * config.audio.sampleRate, config.audio.sampleRate);
const probeDayMiB = (probe.heapPerChunkKiB * LIVE_CHUNKS_PER_DAY) / 1024;

progress('rendering 2000 bare OfflineAudioContexts of one chunk each');
const perContextKiB = await heapLeftPerContextKiB(collectGarbage, 2000, CHUNK_S * config.audio.sampleRate, config.audio.sampleRate);

const checks: Array<{ check: string; value: string; bound: string; pass: boolean }> = [
  ...Object.entries(memory).map(([name, verdict]) => ({
    check: `${name}: growth per simulated hour (second half)`,
    value: `${verdict.perHour.toFixed(3)} MiB/h (${verdict.overSecondHalf.toFixed(2)} MiB over the half)`,
    bound: name === 'RSS'
      ? `reported: the allocator's, not the program's (first hour's scatter ${verdict.firstHourSd.toFixed(2)} MiB); the heap and external are the checks`
      : `|growth over the half| <= ${verdict.bound.toFixed(2)} MiB (first hour's scatter ${verdict.firstHourSd.toFixed(2)} MiB)`,
    pass: name === 'RSS' || verdict.flat,
  })),
  { check: `heap after GC left per chunk, renderer alone (${probe.chunks} chunks)`,
    value: `${probe.heapPerChunkKiB.toFixed(4)} KiB per chunk, ${probeDayMiB.toFixed(2)} MiB per live day (RSS ${probe.rssGrowthMiB >= 0 ? '+' : ''}${probe.rssGrowthMiB.toFixed(1)} MiB)`,
    bound: `<= 8 MiB per live day of ${LIVE_CHUNKS_PER_DAY} chunks`, pass: probeDayMiB <= 8 },
  { check: 'heap after GC left by a bare OfflineAudioContext, same run', value: `${perContextKiB.toFixed(2)} KiB per context`,
    bound: 'reported: node-web-audio-api alone, 2000 contexts; why the renderer mixes without one', pass: true },
  { check: 'composer voices held (max first / second half)', value: `${voices.firstHalfMax} / ${voices.secondHalfMax}`,
    bound: 'second half <= 2 x first half', pass: voices.secondHalfMax <= 2 * Math.max(1, voices.firstHalfMax) },
  { check: 'plan entries kept (end; growth per simulated hour)', value: `${playing.at(-1)!.planEntries}; ${planPerHour.toFixed(1)}/h`,
    bound: 'reported: a replay keeps every decision for its render log (the live daemon keeps 500)', pass: true },
  { check: 'events kept for the render log (let go at each sample)', value: `${eventsLogged}`,
    bound: 'reported: bounded at 100 000 in a session; not kept by the live daemon', pass: true },
  { check: 'listeners attached at every sample', value: `${Math.min(...playing.map((s) => s.listeners))}..${Math.max(...playing.map((s) => s.listeners))}`,
    bound: `${LISTENERS}`, pass: playing.every((sample) => sample.listeners === LISTENERS) },
  { check: 'encoder fed: longest wait between chunks', value: `${longestWriteGapS.toFixed(2)} s over ${replay.writes.length} chunks`,
    bound: `<= ${gapLimitS} s (chunk + 1 s)`, pass: longestWriteGapS <= gapLimitS },
  { check: 'listeners: longest gap, dropped', value: `${listenerGapS.toFixed(2)} s, ${listeners.filter((each) => each.dropped).length} dropped`,
    bound: `<= ${gapLimitS} s, none dropped`, pass: listenerGapS <= gapLimitS && listeners.every((each) => !each.dropped && each.firstAt !== null) },
];

process.stdout.write(`\nskychoir soak (${new Date().toISOString().slice(0, 10)}, Node ${process.version}): 24 h at ${SPEED}x, a frame every ${FRAME_EVERY_MIN} min, ${playing.length} samples\n`);
const width = Math.max(...checks.map((check) => check.check.length));
for (const check of checks) {
  process.stdout.write(`${check.pass ? 'PASS' : 'FAIL'}  ${check.check.padEnd(width)}  ${check.value}   [${check.bound}]\n`);
}

await mkdir(join(REPO_DIR, 'bench/results'), { recursive: true });
const resultPath = join(REPO_DIR, 'bench/results/soak.json');
await writeFile(resultPath, JSON.stringify({ speed: SPEED, frameEveryMin: FRAME_EVERY_MIN, chunkS: CHUNK_S, listeners: LISTENERS, memory, probe, perContextKiB, voices, planPerHour, longestWriteGapS, listenerGapS, checks, samples }, null, 2));
process.stdout.write(`\nwritten ${resultPath}\n`);
await rm(work, { recursive: true, force: true });
process.exitCode = checks.every((check) => check.pass) ? 0 : 1;
