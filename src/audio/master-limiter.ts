/**
 * A look-ahead peak limiter for the master bus, run on rendered samples so that it is
 * sample-exact: the gain at a frame depends only on the samples from there to `lookAhead`
 * frames later and on the gain one frame earlier, which is carried from chunk to chunk.
 * Given each chunk followed by the `lookAhead` frames after it, consecutive chunks come out
 * the same as one long run, whatever their lengths.
 *
 * Guarantee: no output sample exceeds the ceiling (sample peak). The gain falls linearly
 * over the look-ahead (1.5 ms) to exactly what the loudest frame needs, and recovers
 * exponentially (release, 150 ms time constant). Both channels share one gain, so the
 * stereo image does not move.
 *
 * Caveat: it limits sample peaks, not true (inter-sample) peaks; a lossy encoder may still
 * overshoot the ceiling by a fraction of a dB, which the default -1 dBFS ceiling leaves
 * room for.
 */
export class MasterLimiter {
  /** Frames the limiter must see past the end of each chunk it processes. */
  readonly lookAhead: number;
  private readonly ceiling: number;
  private readonly releaseCoefficient: number;
  /** The gain of the last frame processed, and the frame after it. */
  private gain = 1;
  private nextFrame: number | null = null;

  /** `ceilingDb` in dBFS (for example -1); `sampleRate` in Hz. */
  constructor(ceilingDb: number, sampleRate: number, lookAheadS = 0.0015, releaseS = 0.15) {
    this.ceiling = 10 ** (ceilingDb / 20);
    this.lookAhead = Math.max(1, Math.round(lookAheadS * sampleRate));
    this.releaseCoefficient = Math.exp(-1 / (releaseS * sampleRate));
  }

  /**
   * Limits the first `frames` frames of `left` and `right` in place, starting at absolute
   * frame `startFrame`; the arrays must hold `frames + lookAhead` frames (the rest is read,
   * not changed). Chunks processed out of order start again from unity gain.
   */
  process(startFrame: number, frames: number, left: Float32Array, right: Float32Array): void {
    if (this.nextFrame !== startFrame) this.gain = 1;
    const needed = this.neededGains(left, right, frames + this.lookAhead);
    const nextOver = nextIndexBelowOne(needed);

    let gain = this.gain;
    for (let i = 0; i < frames; i++) {
      gain = 1 - (1 - gain) * this.releaseCoefficient;
      for (let j = nextOver[i]!; j <= i + this.lookAhead && j < needed.length; j = nextOver[j + 1]!) {
        const ramped = needed[j]! + ((1 - needed[j]!) * (j - i)) / (this.lookAhead + 1);
        if (ramped < gain) gain = ramped;
      }
      left[i]! *= gain;
      right[i]! *= gain;
    }

    this.gain = gain;
    this.nextFrame = startFrame + frames;
  }

  /** The gain each frame needs to stay under the ceiling (1 where it already does). */
  private neededGains(left: Float32Array, right: Float32Array, length: number): Float64Array {
    const needed = new Float64Array(Math.min(length, left.length, right.length));
    for (let i = 0; i < needed.length; i++) {
      const peak = Math.max(Math.abs(left[i]!), Math.abs(right[i]!));
      needed[i] = peak > this.ceiling ? this.ceiling / peak : 1;
    }
    return needed;
  }
}

/** For each index, the first index at or after it whose value is below 1 (length if none). */
function nextIndexBelowOne(values: Float64Array): Int32Array {
  const next = new Int32Array(values.length + 1);
  next[values.length] = values.length;
  for (let i = values.length - 1; i >= 0; i--) next[i] = values[i]! < 1 ? i : next[i + 1]!;
  return next;
}
