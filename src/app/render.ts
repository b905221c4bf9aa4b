import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import type { SkyConfig } from '../config/schema.js';
import { Encoder, formatForPath } from '../output/encoder.js';
import { interleaveF32 } from '../output/pcm.js';
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
}

export interface RenderResult {
  audioSeconds: number;
  logPath: string;
}

/** Renders a recorded day to an audio file, chunk by chunk, and writes its render log. */
export async function renderDay(options: RenderOptions): Promise<RenderResult> {
  const { config, log } = options;
  const format = formatForPath(options.outPath);
  await mkdir(dirname(options.outPath), { recursive: true });

  const session = await DaySession.open({ config, dayDir: options.dayDir, speed: options.speed, log });
  const encoder = new Encoder({
    ffmpegPath: config.output.ffmpegPath,
    format,
    sampleRate: config.audio.sampleRate,
    target: options.outPath,
  });

  log.info(
    { day: options.dayDir, out: options.outPath, speed: options.speed, audioSeconds: session.totalFrames / config.audio.sampleRate },
    'render started',
  );

  try {
    for (let chunk = await session.nextChunk(); chunk; chunk = await session.nextChunk()) {
      await encoder.write(interleaveF32(chunk.left, chunk.right));
      options.onProgress?.(session.renderedFrames / session.totalFrames);
    }
    await encoder.finish();
  } catch (error) {
    encoder.kill();
    throw error;
  } finally {
    await session.close();
  }

  await writeFile(options.logPath, JSON.stringify(renderLog(session, options), null, 1));
  const audioSeconds = session.totalFrames / config.audio.sampleRate;
  log.info({ out: options.outPath, audioSeconds, renderLog: options.logPath }, 'render finished');
  return { audioSeconds, logPath: options.logPath };
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
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
