/**
 * What rendering leaves behind per chunk, alone: the pack's first five stems played through
 * the chunk renderer with everything the daemon's master bus has (reverb at a steady wet level,
 * loudness follower, limiter), `count` chunks of `frames` after a warm-up, the heap after a
 * full collection and the RSS compared before and after. The soak's replay renders a few
 * hundred chunks while its sky moves through a day, so its slope cannot tell a per-chunk cost
 * from a per-hour one; this can, over a tenth of a live day's chunks.
 */
import { ChunkRenderer } from '../src/audio/chunk-renderer.js';
import type { Voice } from '../src/audio/plan.js';
import type { StemLibrary } from '../src/audio/stem-library.js';

export interface ChunkProbe {
  chunks: number;
  heapPerChunkKiB: number;
  rssGrowthMiB: number;
}

export async function probeChunks(stems: StemLibrary, collectGarbage: () => void, count: number, frames: number, sampleRate: number): Promise<ChunkProbe> {
  const renderer = new ChunkRenderer({
    sampleRate,
    masterGain: 0.7,
    reverb: true,
    loudnessTargetLufs: -23,
    limiterCeilingDb: -1,
    stem: (id) => {
      const stem = stems.get(id);
      return stem && { buffer: stem.buffer, loop: stem.info.loop, trim: stem.gain };
    },
  });
  const voices: Voice[] = stems.all().slice(0, 5).map((stem, index) => ({
    id: index + 1, stemId: stem.info.id, layer: stem.info.layer, startFrame: 0, fadeInFrames: sampleRate,
    stopFrame: null, fadeOutFrames: 0, gain: 0.5, pan: index / 4 - 0.5,
  }));
  const levels = [{ frame: 0, gain: 0.3 }];

  let chunk = 0;
  const renderSome = async (howMany: number) => {
    for (let index = 0; index < howMany; index++, chunk++) await renderer.render(chunk * frames, frames, voices, levels);
  };
  await renderSome(2_000);

  collectGarbage();
  const before = process.memoryUsage();
  await renderSome(count);
  collectGarbage();
  const after = process.memoryUsage();
  return { chunks: count, heapPerChunkKiB: (after.heapUsed - before.heapUsed) / 1024 / count, rssGrowthMiB: (after.rss - before.rss) / 1024 / 1024 };
}
