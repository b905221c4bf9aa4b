/**
 * What a bare node-web-audio-api OfflineAudioContext leaves behind once rendered and let go:
 * the heap after a full collection, before and after `count` of them, per context. Side by
 * side with the soak's per-chunk figure. It is why the chunk renderer mixes without a context:
 * a context per chunk, as it once made, kept this much per chunk for good.
 */
import { OfflineAudioContext } from 'node-web-audio-api';

export async function heapLeftPerContextKiB(collectGarbage: () => void, count: number, frames: number, sampleRate: number): Promise<number> {
  const renderOne = async () => {
    const context = new OfflineAudioContext({ numberOfChannels: 2, length: frames, sampleRate });
    await context.startRendering();
  };
  for (let index = 0; index < 100; index++) await renderOne();

  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  for (let index = 0; index < count; index++) await renderOne();
  collectGarbage();
  return (process.memoryUsage().heapUsed - before) / 1024 / count;
}
