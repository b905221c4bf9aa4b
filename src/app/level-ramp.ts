/**
 * A gain applied to the mix that only ever changes as a linear ramp, sample by sample, so a
 * change of volume or a fade-out never steps (case A3's clean fade).
 */
export class LevelRamp {
  private gain: number;
  private target: number;
  private step = 0;

  constructor(
    private readonly sampleRate: number,
    initial: number,
  ) {
    this.gain = initial;
    this.target = initial;
  }

  /** Whether the gain has reached zero and stays there. */
  get silent(): boolean {
    return this.gain === 0 && this.target === 0;
  }

  /** Ramps from the current gain to `target` over `seconds` (at least one sample). */
  rampTo(target: number, seconds: number): void {
    this.target = Math.max(0, target);
    const samples = Math.max(1, Math.round(seconds * this.sampleRate));
    this.step = Math.abs(this.target - this.gain) / samples;
  }

  /** Multiplies both channels by the gain, ramping as it goes. */
  apply(left: Float32Array, right: Float32Array): void {
    for (let i = 0; i < left.length; i++) {
      if (this.gain !== this.target) {
        this.gain = this.gain < this.target ? Math.min(this.target, this.gain + this.step) : Math.max(this.target, this.gain - this.step);
      }
      left[i] = left[i]! * this.gain;
      right[i] = right[i]! * this.gain;
    }
  }
}
