/**
 * The bed that plays when nothing else can: a soft open fifth on D (D3, A3, D4, A4, the
 * default pack's key) breathing slowly, made from sines, so it needs no file. The daemon
 * mixes it in when no stem could be loaded, and when the mix has been silent for a while
 * although it should not be; it fades in and out over `fadeS`, so turning it on or off
 * never clicks. Deterministic: the same calls give the same samples.
 */

const PARTIALS_HZ = [146.83, 220.0, 293.66, 440.0];
const PARTIAL_GAINS = [0.5, 0.32, 0.22, 0.12];
/** Peak level of the bed, as a linear gain: quiet, a floor under the room, not a piece. */
const LEVEL = 0.12;
/** One breath every this many seconds (a slow swell of the upper partials). */
const BREATH_S = 11;

export class SafeBed {
  private frame = 0;
  private gain = 0;
  private target = 0;

  constructor(
    private readonly sampleRate: number,
    private readonly fadeS = 2,
  ) {}

  /** Whether the bed is sounding or fading out. */
  get audible(): boolean {
    return this.gain > 0 || this.target > 0;
  }

  /** Fades the bed in (true) or out (false) from the next sample on. */
  set(on: boolean): void {
    this.target = on ? 1 : 0;
  }

  /** Adds the next `left.length` frames of the bed into the two channels, in place. */
  mixInto(left: Float32Array, right: Float32Array): void {
    const step = 1 / (this.fadeS * this.sampleRate);
    const twoPi = 2 * Math.PI;

    for (let i = 0; i < left.length; i++) {
      if (this.gain !== this.target) {
        this.gain = this.gain < this.target ? Math.min(this.target, this.gain + step) : Math.max(this.target, this.gain - step);
      }

      const t = (this.frame + i) / this.sampleRate;
      if (this.gain > 0) {
        const breath = 0.75 + 0.25 * Math.sin((twoPi * t) / BREATH_S);
        let sample = 0;
        for (let p = 0; p < PARTIALS_HZ.length; p++) {
          const swell = p < 2 ? 1 : breath;
          sample += PARTIAL_GAINS[p]! * swell * Math.sin(twoPi * PARTIALS_HZ[p]! * t);
        }
        const value = sample * LEVEL * this.gain;
        left[i] = left[i]! + value;
        right[i] = right[i]! + value;
      }
    }

    this.frame += left.length;
  }
}
