import { kWeighting, type Biquad } from './loudness.js';

/**
 * A slow loudness follower for the master bus: holds the mix near a target loudness (LUFS,
 * BS.1770 K-weighting) by a gain that moves in linear ramps, never in steps.
 *
 * Why a follower rather than gains by voice count: every stem is normalised at load to the
 * same loudness, but what the mix adds up to depends on how many voices sound, how
 * correlated they are (two pads in one key sum louder than two uncorrelated noises), their
 * envelopes and the layer gains the score sets. Only a measure of the mix itself knows; a
 * count cannot, and the score's gains would have to be re-derived for each stem pack. The
 * follower leaves the score's choices audible: it is slow (20 s time constant), bounded
 * (±6 dB) and gated, so accents, swells and a layer's crossfade pass through, while hours
 * of the day that add up louder or quieter are brought to the target.
 *
 * How: the K-weighted power of each 100 ms block (on a grid of absolute frames) updates an
 * exponential average in the power domain, unless the block is more than 10 LU below that
 * average or below -70 LUFS (the gates of BS.1770: fades from silence and pauses do not pull
 * the gain up). At each block's end the gain aims at `target - average` (clamped) and ramps
 * there linearly over the next block. The average starts at the target (unity gain).
 *
 * Caveat: a mix that stays more than 10 LU below the target is left where it is (the gate
 * reads it as a pause); within the range it is brought up.
 *
 * Guarantee: the gain at a frame depends only on the samples before it and on absolute frame
 * numbers, so chunks processed in order, of any lengths, give the same samples as one long
 * run. `extra` frames after a chunk may be processed without being committed (the limiter's
 * look-ahead): they come out as they will when their own chunk is processed.
 */
export class LoudnessFollower {
  private readonly filters: [Biquad, Biquad];
  private readonly blockFrames: number;
  private readonly smoothing: number;
  private readonly targetPower: number;
  private readonly minGain: number;
  private readonly maxGain: number;
  private state: FollowerState;
  private nextFrame = 0;

  /** `targetLufs` of the output; `sampleRate` in Hz; time constant in seconds; range in dB either way. */
  constructor(targetLufs: number, sampleRate: number, timeConstantS = 20, rangeDb = 6) {
    this.filters = kWeighting(sampleRate);
    this.blockFrames = Math.round(BLOCK_S * sampleRate);
    this.smoothing = Math.exp(-BLOCK_S / timeConstantS);
    this.targetPower = powerOf(targetLufs);
    this.minGain = 10 ** (-rangeDb / 20);
    this.maxGain = 10 ** (rangeDb / 20);
    this.state = this.initialState();
  }

  /**
   * Applies the follower to `frames + extra` frames of `left` and `right` in place, from
   * absolute frame `startFrame`; only the first `frames` advance its state. A chunk that does
   * not follow the last one starts again from the initial state.
   */
  process(startFrame: number, frames: number, left: Float32Array, right: Float32Array, extra = 0): void {
    if (startFrame !== this.nextFrame) this.state = this.initialState();
    const length = Math.min(frames + extra, left.length, right.length);
    let state = this.state;
    for (let i = 0; i < length; i++) {
      if (i === frames) {
        this.state = state;
        state = cloneState(state);
      }
      const frame = startFrame + i;
      this.measure(state, left[i]!, right[i]!);
      const gain = this.gainAt(frame, state);
      left[i]! *= gain;
      right[i]! *= gain;
      if ((frame + 1) % this.blockFrames === 0) this.closeBlock(state);
    }
    if (length <= frames) this.state = state;
    this.nextFrame = startFrame + frames;
  }

  /** The gain at `frame`: a linear ramp across its block from the previous aim to the current one. */
  private gainAt(frame: number, state: FollowerState): number {
    const position = (frame % this.blockFrames) + 1;
    return state.gainFrom + ((state.gainTo - state.gainFrom) * position) / this.blockFrames;
  }

  private measure(state: FollowerState, left: number, right: number): void {
    const l = filter(filter(left, this.filters[0], state.left, 0), this.filters[1], state.left, 4);
    const r = filter(filter(right, this.filters[0], state.right, 0), this.filters[1], state.right, 4);
    state.blockEnergy += l * l + r * r;
  }

  /** Ends a block: updates the gated average and aims the gain for the next block. */
  private closeBlock(state: FollowerState): void {
    const power = state.blockEnergy / this.blockFrames;
    state.blockEnergy = 0;
    if (power > ABSOLUTE_GATE_POWER && power > state.averagePower * RELATIVE_GATE) {
      state.averagePower = this.smoothing * state.averagePower + (1 - this.smoothing) * power;
    }
    state.gainFrom = state.gainTo;
    const wanted = Math.sqrt(this.targetPower / state.averagePower);
    state.gainTo = Math.min(this.maxGain, Math.max(this.minGain, wanted));
  }

  private initialState(): FollowerState {
    return { left: new Float64Array(8), right: new Float64Array(8), blockEnergy: 0, averagePower: this.targetPower, gainFrom: 1, gainTo: 1 };
  }
}

const BLOCK_S = 0.1;
/** -70 LUFS as K-weighted power (sum over both channels). */
const ABSOLUTE_GATE_POWER = powerOf(-70);
/** -10 LU as a power ratio. */
const RELATIVE_GATE = 0.1;

interface FollowerState {
  /** Per channel, the two biquads' x1, x2, y1, y2. */
  left: Float64Array;
  right: Float64Array;
  blockEnergy: number;
  averagePower: number;
  gainFrom: number;
  gainTo: number;
}

function cloneState(state: FollowerState): FollowerState {
  return { ...state, left: state.left.slice(), right: state.right.slice() };
}

/** One sample through a direct-form-I biquad whose memory is `memory[at..at+3]`. */
function filter(x: number, { b, a }: Biquad, memory: Float64Array, at: number): number {
  const y = b[0] * x + b[1] * memory[at]! + b[2] * memory[at + 1]! - a[0] * memory[at + 2]! - a[1] * memory[at + 3]!;
  memory[at + 1] = memory[at]!;
  memory[at] = x;
  memory[at + 3] = memory[at + 2]!;
  memory[at + 2] = y;
  return y;
}

/** LUFS to K-weighted mean-square power summed over channels (BS.1770: L = -0.691 + 10 log10 P). */
function powerOf(lufs: number): number {
  return 10 ** ((lufs + 0.691) / 10);
}
