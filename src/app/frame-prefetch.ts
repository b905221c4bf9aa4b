import type { RecordedFrame } from '../days/reader.js';
import type { FrameAnalyser, FrameFindings } from '../vision/analyser.js';

/**
 * Inspects a recorded day's frames a few ahead of the virtual clock, so that the detector
 * (in its worker) works on upcoming frames while the main thread renders audio. Findings
 * are published only when the clock reaches each frame, so events and music are exactly
 * as without prefetching; only the wall time changes.
 */
export class FramePrefetch {
  private readonly indexById = new Map<string, number>();
  private readonly pending = new Map<number, Promise<FrameFindings>>();

  constructor(
    private readonly frames: readonly RecordedFrame[],
    private readonly analyser: FrameAnalyser,
    /** Frames inspected ahead of the current one; bounds memory to that many decoded frames. */
    private readonly depth = 4,
  ) {
    frames.forEach((frame, index) => this.indexById.set(frame.id, index));
  }

  /** Findings for the frame the clock has reached, starting the inspection of the next ones. */
  async findingsFor(frame: { id: string; at: number; jpeg: Buffer }): Promise<FrameFindings> {
    const index = this.indexById.get(frame.id);
    if (index === undefined) return this.analyser.inspect(frame);

    for (let ahead = index + 1; ahead <= index + this.depth && ahead < this.frames.length; ahead++) {
      if (!this.pending.has(ahead)) this.pending.set(ahead, this.inspectRecorded(ahead));
    }

    const findings = this.pending.get(index) ?? this.analyser.inspect(frame);
    this.pending.delete(index);
    return findings;
  }

  /** Drops any inspection started for a frame that will not be asked for (it could not be read). */
  discard(frameId: string): void {
    const index = this.indexById.get(frameId);
    if (index !== undefined) this.pending.delete(index);
  }

  private async inspectRecorded(index: number): Promise<FrameFindings> {
    const frame = this.frames[index]!;
    try {
      const jpeg = await frame.readJpeg();
      return await this.analyser.inspect({ id: frame.id, at: frame.capturedAt, jpeg });
    } catch (error) {
      return { kind: 'failed', error };
    }
  }
}
