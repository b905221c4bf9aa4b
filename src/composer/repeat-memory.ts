import type { Layer } from '../audio/stem-manifest.js';

/**
 * When each stem last stopped in each layer (audio frames), for the score's repeat windows. A
 * one-shot is remembered at the frame it will end, so it is "recent" while it still sounds.
 * Holds one entry per stem and layer: bounded by the stem pack, however long the run.
 */
export class RepeatMemory {
  private readonly stoppedAt = new Map<string, number>();

  /** Notes that `stemId` stops (or will stop) in `layer` at `frame`. */
  stopped(layer: Layer, stemId: string, frame: number): void {
    const key = `${layer}/${stemId}`;
    this.stoppedAt.set(key, Math.max(this.stoppedAt.get(key) ?? -Infinity, frame));
  }

  /**
   * Splits `stemIds` into those free to start at `frame` and those that stopped less than
   * `windowFrames` before it (never any with a window of 0). Keeps the given order.
   */
  split(
    layer: Layer,
    stemIds: readonly string[],
    frame: number,
    windowFrames: number,
  ): { free: string[]; resting: string[] } {
    const free: string[] = [];
    const resting: string[] = [];
    for (const id of stemIds) {
      const stopped = this.stoppedAt.get(`${layer}/${id}`);
      (windowFrames > 0 && stopped !== undefined && frame - stopped < windowFrames ? resting : free).push(id);
    }
    return { free, resting };
  }
}
