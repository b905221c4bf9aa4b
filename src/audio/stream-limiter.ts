import { MasterLimiter } from './master-limiter.js';

/**
 * The master limiter for an endless stream handed out chunk by chunk, where the samples after
 * a chunk are not rendered yet: each chunk is held back by the limiter's look-ahead (1.5 ms
 * at 48 kHz), so the stream comes out that much later, starting with that much silence, and
 * every chunk out is as long as the chunk in.
 *
 * Guarantee: no sample handed out exceeds the ceiling (sample peak), whatever gain, fade or
 * bed was applied before it, because this runs last.
 */
export class StreamLimiter {
  private readonly limiter: MasterLimiter;
  private heldLeft: Float32Array;
  private heldRight: Float32Array;
  private processedFrames = 0;

  /** `ceilingDb` in dBFS (for example -1); `sampleRate` in Hz. */
  constructor(ceilingDb: number, sampleRate: number) {
    this.limiter = new MasterLimiter(ceilingDb, sampleRate);
    this.heldLeft = new Float32Array(this.limiter.lookAhead);
    this.heldRight = new Float32Array(this.limiter.lookAhead);
  }

  /** Frames the stream is delayed by. */
  get delayFrames(): number {
    return this.limiter.lookAhead;
  }

  /** Takes the next chunk and returns as many limited frames, ending `delayFrames` before its end. */
  process(left: Float32Array, right: Float32Array): { left: Float32Array; right: Float32Array } {
    const frames = left.length;
    const joinedLeft = join(this.heldLeft, left);
    const joinedRight = join(this.heldRight, right);

    this.limiter.process(this.processedFrames, frames, joinedLeft, joinedRight);
    this.processedFrames += frames;

    this.heldLeft = joinedLeft.slice(frames);
    this.heldRight = joinedRight.slice(frames);
    return { left: joinedLeft.subarray(0, frames), right: joinedRight.subarray(0, frames) };
  }
}

function join(first: Float32Array, second: Float32Array): Float32Array {
  const joined = new Float32Array(first.length + second.length);
  joined.set(first, 0);
  joined.set(second, first.length);
  return joined;
}
