import { mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import type { SkyConfig } from '../config/schema.js';
import { InputError } from '../errors.js';
import { Encoder, formatForPath } from '../output/encoder.js';
import { interleaveF32 } from '../output/pcm.js';
import { STEM_SAMPLE_RATE } from '../audio/stem-library.js';
import { writeRenderReport, type RenderReportResult } from '../report/report.js';
import { DaySession } from './session.js';

export interface RenderOptions {
  config: SkyConfig;
  dayDir: string;
  outPath: string;
  /** Sky seconds per audio second; 1 renders the day at its real length. */
  speed: number;
  /** Where the render log (JSON: events and every musical decision) goes. */
  logPath: string;
  log: Logger;
  /** Called after each chunk with the fraction done, 0..1. */
  onProgress?: (fraction: number) => void;
  /** Stops the render between chunks; the unfinished file is removed. */
  signal?: AbortSignal;
  /**
   * Also writes the render report (`<out>.report.png`, `.svg`, `.json`: see src/report/report.ts)
   * once the audio and its log are complete; the report only reads them.
   */
  report?: boolean;
  /** A sky memory file to judge rare events by (read only); default: an empty memory. */
  memoryPath?: string;
}

export interface RenderResult {
  audioSeconds: number;
  logPath: string;
  /** The report's files and picture size, when one was asked for. */
  report?: RenderReportResult;
}

/**
 * Renders a recorded day to an audio file, chunk by chunk, and writes its render log.
 * The audio is written to `<out>.partial` and renamed when complete, so the final name
 * never holds a truncated file: a failed or stopped render removes what it wrote.
 */
export async function renderDay(options: RenderOptions): Promise<RenderResult> {
  const { config, log } = options;
  const format = formatForPath(options.outPath);
  await ensureWritable(options.outPath, 'output');
  await ensureWritable(options.logPath, 'render log');

  const session = await DaySession.open({ config, dayDir: options.dayDir, speed: options.speed, log, memoryPath: options.memoryPath });
  const partialPath = `${options.outPath}.partial`;
  const encoder = new Encoder({
    ffmpegPath: config.output.ffmpegPath,
    format,
    sampleRate: config.audio.sampleRate,
    target: partialPath,
  });

  log.info(
    { day: options.dayDir, out: options.outPath, speed: options.speed, audioSeconds: session.totalFrames / config.audio.sampleRate },
    'render started',
  );

  try {
    for (let chunk = await session.nextChunk(); chunk; chunk = await session.nextChunk()) {
      await encoder.write(interleaveF32(chunk.left, chunk.right));
      options.onProgress?.(session.renderedFrames / session.totalFrames);
      if (options.signal?.aborted) throw new RenderStopped(session.renderedFrames / config.audio.sampleRate);
    }
    await encoder.finish();
    await rename(partialPath, options.outPath);
  } catch (error) {
    encoder.kill();
    await encoder.exitedOrTimeout();
    await rm(partialPath, { force: true });
    // A stop can surface as an encoder failure first (ffmpeg signalled with skychoir).
    if (options.signal?.aborted && !(error instanceof RenderStopped)) {
      throw new RenderStopped(session.renderedFrames / config.audio.sampleRate);
    }
    throw error;
  } finally {
    await session.close();
  }

  const logContent = renderLog(session, options);
  await writeFile(options.logPath, JSON.stringify(logContent, null, 1));
  const audioSeconds = session.totalFrames / config.audio.sampleRate;
  log.info({ out: options.outPath, audioSeconds, renderLog: options.logPath }, 'render finished');
  if (!options.report) return { audioSeconds, logPath: options.logPath };

  const report = await writeRenderReport({
    renderLog: JSON.parse(JSON.stringify(logContent)),
    audioPath: options.outPath,
    ffmpegPath: config.output.ffmpegPath,
    log,
    stemLengths: stemLengths(session, config.audio.sampleRate),
  });
  return { audioSeconds, logPath: options.logPath, report };
}

/** Each stem's length in frames of the render and whether it loops, for the report's bars. */
function stemLengths(session: DaySession, sampleRate: number) {
  return Object.fromEntries(
    session.stems.all().map(({ info, durationFrames }) => [
      info.id,
      { durationFrames: Math.round((durationFrames * sampleRate) / STEM_SAMPLE_RATE), loop: info.loop },
    ]),
  );
}

/** A render stopped by its signal before the day was over; nothing was left on disk. */
export class RenderStopped extends Error {
  override readonly name = 'RenderStopped';

  constructor(readonly audioSeconds: number) {
    super(`render stopped after ${audioSeconds.toFixed(1)} s of audio; no file was written`);
  }
}

/**
 * Fails at once, naming the file, when `path` could not be written at the end of a long
 * render. Missing folders are made. The file is opened for appending (which changes nothing
 * in one that exists) and removed again if it was not there before.
 */
async function ensureWritable(path: string, what: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    const existed = await stat(path).then(() => true, () => false);
    const handle = await open(path, 'a');
    await handle.close();
    if (!existed) await rm(path, { force: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError(`cannot write the ${what} "${path}": ${reason}`);
  }
}

/** The render log: enough to see why the music did what it did. Its shape is documented in the README. */
function renderLog(session: DaySession, options: RenderOptions) {
  return {
    format: 1,
    day: { dir: options.dayDir, ...session.day.manifest, startAt: iso(session.day.manifest.startAt), endAt: iso(session.day.manifest.endAt) },
    speed: options.speed,
    seed: options.config.composer.seed,
    sampleRate: options.config.audio.sampleRate,
    audioFrames: session.totalFrames,
    stems: session.stems.all().map((stem) => stem.info.id),
    stemProblems: session.stems.problems,
    events: session.events.entries,
    plan: session.composer.entries,
    /** Every move of the key centre (harmony.ts): frame, from, to, relation, why. */
    keys: session.composer.harmony.moves,
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
