/**
 * Maps the instants of a day (epoch ms) onto frames of the output audio and back.
 * At speed 1 an hour of sky is an hour of music; at speed 96 a day is 15 minutes.
 * Frames are integers so that plans render identically whatever the chunking.
 */
export class Timeline {
  constructor(
    /** The instant that sounds at frame 0. */
    readonly startMs: number,
    /** Sky seconds per audio second (>= 1 compresses, < 1 stretches). */
    readonly speed: number,
    readonly sampleRate: number,
  ) {
    if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`speed must be a positive number, got ${speed}`);
  }

  frameAt(atMs: number): number {
    return Math.round(((atMs - this.startMs) / 1000 / this.speed) * this.sampleRate);
  }

  instantAt(frame: number): number {
    return this.startMs + (frame / this.sampleRate) * this.speed * 1000;
  }

  /** Audio frames for a number of audio seconds. */
  frames(seconds: number): number {
    return Math.round(seconds * this.sampleRate);
  }
}

/** A monotonic reading in milliseconds, for pacing live output; not an instant of the day. */
export function monotonicMs(): number {
  return performance.now();
}
