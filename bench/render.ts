import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { renderDay } from '../src/app/render.js';
import { DaySession } from '../src/app/session.js';
import type { SkyConfig } from '../src/config/schema.js';
import { silentLogger } from '../src/log.js';
import { monotonicMs } from '../src/time/timeline.js';

export interface RenderFigures {
  audioSeconds: number;
  renderWithEncodingX: number;
  renderToFlacX: number;
  renderWithoutEncodingX: number;
  ffmpegEncodeOnlyX: number;
  renderWithoutVisionX: number;
}

/**
 * Render speed of a recorded day as multiples of real time, measured side by side in one run:
 * the whole render to Ogg Vorbis and to FLAC; the same render without encoding; the same
 * render with no detector (vision costs apart); and ffmpeg alone encoding the same length of
 * audio to Vorbis.
 */
export async function benchRender(config: SkyConfig, dayDir: string, outDir: string, speed: number): Promise<RenderFigures> {
  const log = silentLogger();

  const withEncodingMs = await timed(() =>
    renderDay({ config, dayDir, outPath: join(outDir, 'bench.ogg'), speed, logPath: join(outDir, 'bench.json'), log }),
  );

  const flacMs = await timed(() =>
    renderDay({ config, dayDir, outPath: join(outDir, 'bench.flac'), speed, logPath: join(outDir, 'bench-flac.json'), log }),
  );

  let audioFrames = 0;
  const withoutEncodingMs = await timed(async () => {
    const session = await DaySession.open({ config, dayDir, speed, log });
    for (let chunk = await session.nextChunk(); chunk; chunk = await session.nextChunk()) audioFrames += chunk.left.length;
    await session.close();
  });

  const blind = { ...config, vision: { ...config.vision, modelDir: join(outDir, 'no-models'), fetchMissingModel: false } };
  const withoutVisionMs = await timed(async () => {
    const session = await DaySession.open({ config: blind, dayDir, speed, log });
    while (await session.nextChunk());
    await session.close();
  });

  const audioSeconds = audioFrames / config.audio.sampleRate;
  const encodeOnlyMs = await timed(() => encodeSilence(config, audioSeconds));

  return {
    audioSeconds,
    renderWithEncodingX: (audioSeconds * 1000) / withEncodingMs,
    renderToFlacX: (audioSeconds * 1000) / flacMs,
    renderWithoutEncodingX: (audioSeconds * 1000) / withoutEncodingMs,
    ffmpegEncodeOnlyX: (audioSeconds * 1000) / encodeOnlyMs,
    renderWithoutVisionX: (audioSeconds * 1000) / withoutVisionMs,
  };
}

/** ffmpeg encoding `seconds` of low noise to Ogg Vorbis into the void, as the yardstick. */
function encodeSilence(config: SkyConfig, seconds: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(config.output.ffmpegPath, [
      '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i',
      `anoisesrc=a=0.05:c=pink:r=${config.audio.sampleRate}:d=${seconds}`, '-ac', '2',
      '-c:a', 'libvorbis', '-q:a', '5', '-f', 'ogg', '-y', '/dev/null',
    ]);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited with ${code}`))));
  });
}

export async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = monotonicMs();
  await work();
  return monotonicMs() - started;
}
