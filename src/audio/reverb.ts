/**
 * A stereo room reverb for the master bus, in the Schroeder–Moorer design that Freeverb made
 * common: eight damped feedback combs in parallel and four allpasses in series per channel,
 * the right channel's delays a few samples longer than the left's for width. It is fed the
 * mono sum of the mix and adds its wet output back at a level that may ramp over time.
 *
 * Guarantees: processing is sample by sample with its state carried from call to call, so a
 * span processed in chunks of any length gives the same samples as one long call, provided
 * the chunks come in order (`process` commits its state; `preview` does not). The wet level
 * between two level points is linear in the frame, so a change of reverb is a ramp.
 *
 * Caveat: the tail lasts several seconds after the input stops (feedback 0.94 per comb
 * pass); the level reaching 0 silences it at once, which is why the composer ramps it.
 */
import { LevelPathReader, type EnvelopePoint } from './envelope.js';

/** Comb and allpass delays at 44.1 kHz (Freeverb's tuning), scaled to the sample rate. */
const COMB_DELAYS_44K = [1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617];
const ALLPASS_DELAYS_44K = [556, 441, 341, 225];
const STEREO_SPREAD_44K = 23;
/** Feedback of each comb: a large room, about a 3 s tail. */
const COMB_FEEDBACK = 0.94;
/** Share of a comb's output kept from the previous sample (high frequencies fade first). */
const DAMPING = 0.25;
const ALLPASS_FEEDBACK = 0.5;
/** Gain on the mono sum before the combs, so that eight of them in parallel stay near unity. */
const INPUT_GAIN = 0.015;
/** Below this a filter's memory is flushed to zero, so long silences never reach denormals. */
const FLUSH = 1e-25;

interface Line {
  buffer: Float64Array;
  index: number;
  /** The comb's one-pole low-pass memory (unused by allpasses). */
  memory: number;
}

export class Reverb {
  private readonly combs: Line[][];
  private readonly allpasses: Line[][];

  /** `sampleRate` in Hz. */
  constructor(sampleRate: number) {
    const scale = sampleRate / 44_100;
    const spread = Math.round(STEREO_SPREAD_44K * scale);
    const line = (delay44k: number, extra: number): Line => ({
      buffer: new Float64Array(Math.max(1, Math.round(delay44k * scale) + extra)),
      index: 0,
      memory: 0,
    });
    this.combs = [0, spread].map((extra) => COMB_DELAYS_44K.map((delay) => line(delay, extra)));
    this.allpasses = [0, spread].map((extra) => ALLPASS_DELAYS_44K.map((delay) => line(delay, extra)));
  }

  /**
   * Adds the reverb of the first `frames` frames of `left`/`right` to them in place, at the
   * wet level `levels` gives for each absolute frame from `startFrame` (a linear gain, 0 =
   * dry), and keeps the state for the next chunk.
   */
  process(startFrame: number, frames: number, left: Float32Array, right: Float32Array, levels: readonly EnvelopePoint[]): void {
    this.run(startFrame, 0, frames, left, right, levels);
  }

  /**
   * Adds the reverb of frames [from, to) as `process` would, then forgets it: for a look-ahead
   * past the chunk that the next chunk will process for real.
   */
  preview(startFrame: number, from: number, to: number, left: Float32Array, right: Float32Array, levels: readonly EnvelopePoint[]): void {
    const saved = this.snapshot();
    this.run(startFrame, from, to, left, right, levels);
    this.restore(saved);
  }

  private run(startFrame: number, from: number, to: number, left: Float32Array, right: Float32Array, levels: readonly EnvelopePoint[]): void {
    const frames = to - from;
    if (frames <= 0) return;
    const input = new Float64Array(frames);
    for (let i = 0; i < frames; i++) input[i] = (left[from + i]! + right[from + i]!) * INPUT_GAIN;

    // The combs of a channel run side by side and the allpasses one after another, so each
    // can take the whole span in turn: the same samples as going frame by frame, faster.
    const [wetLeft, wetRight] = [0, 1].map((channel) => {
      const wet = new Float64Array(frames);
      for (const comb of this.combs[channel]!) combSpan(comb, input, wet);
      for (const allpass of this.allpasses[channel]!) allpassSpan(allpass, wet);
      return wet;
    }) as [Float64Array, Float64Array];

    const level = new LevelPathReader(levels);
    for (let i = 0; i < frames; i++) {
      const gain = level.at(startFrame + from + i);
      left[from + i]! += gain * wetLeft[i]!;
      right[from + i]! += gain * wetRight[i]!;
    }
  }

  private snapshot(): Line[] {
    return [...this.combs.flat(), ...this.allpasses.flat()].map((line) => ({ buffer: line.buffer.slice(), index: line.index, memory: line.memory }));
  }

  private restore(saved: Line[]): void {
    [...this.combs.flat(), ...this.allpasses.flat()].forEach((line, n) => {
      line.buffer.set(saved[n]!.buffer);
      line.index = saved[n]!.index;
      line.memory = saved[n]!.memory;
    });
  }
}

/** Runs one damped feedback comb over `input`, adding what it delays into `out`. */
function combSpan(comb: Line, input: Float64Array, out: Float64Array): void {
  const buffer = comb.buffer;
  let index = comb.index;
  let memory = comb.memory;
  for (let i = 0; i < input.length; i++) {
    const delayed = buffer[index]!;
    memory = delayed * (1 - DAMPING) + memory * DAMPING;
    if (Math.abs(memory) < FLUSH) memory = 0;
    buffer[index] = input[i]! + memory * COMB_FEEDBACK;
    if (++index === buffer.length) index = 0;
    out[i]! += delayed;
  }
  comb.index = index;
  comb.memory = memory;
}

/** Runs one allpass over `signal` in place. */
function allpassSpan(allpass: Line, signal: Float64Array): void {
  const buffer = allpass.buffer;
  let index = allpass.index;
  for (let i = 0; i < signal.length; i++) {
    const delayed = buffer[index]!;
    buffer[index] = signal[i]! + delayed * ALLPASS_FEEDBACK;
    if (++index === buffer.length) index = 0;
    signal[i] = delayed - signal[i]!;
  }
  allpass.index = index;
}
