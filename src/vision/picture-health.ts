/**
 * What the frames themselves say about the camera, apart from its link: whether the
 * picture is a usable sky, too dark because it is night, covered while the sun is up
 * (a lens cap, a wet or dirty lens, a wall or a tarpaulin), or frozen (the same picture
 * again and again, as a camera whose encoder hangs keeps sending its last frame).
 *
 * A state changes only after {@link PICTURE_HEALTH_LIMITS.confirmFrames} frames in a
 * row agree, so one odd frame (a bird on the lens, a flash) does not flicker it.
 *
 * Caveats: a camera whose view is half roof reads as obstructed in daylight; lower
 * `obstructedSkyFractionMax` for such a mount. A camera that sends the same JPEG while
 * the sky truly does not change (a perfectly even overcast in a lossless stream) would
 * read as frozen; real sensors add enough noise that this has not been seen.
 */
import type { RgbFrame } from './rgb-frame.js';

export type PictureState = 'clear' | 'night' | 'obstructed' | 'frozen';

export const PICTURE_HEALTH_LIMITS = {
  /** Frames in a row that must agree before the state changes. */
  confirmFrames: 3,
  /** Identical thumbnails in a row (after the first) that make the picture frozen. */
  frozenRepeats: 5,
  /** A thumbnail differing from the last by at most this mean byte difference is the same picture. */
  frozenMeanByteDiffMax: 0.05,
  /** Sun elevation (degrees) above which a dark or covered picture is an obstruction, not night. */
  daylightElevationDeg: 3,
  /** In daylight, a picture with less usable sky than this fraction is obstructed. */
  obstructedSkyFractionMax: 0.15,
} as const;

/** What one frame showed, as far as its health goes. */
export interface PictureSample {
  /** The frame's 64x64 (or any fixed size) thumbnail. */
  thumbnail: RgbFrame;
  /** Usable sky pixels over all pixels, 0..1 (see measureSky). */
  skyFraction: number;
  /** Sun elevation at the frame's instant in degrees, or null when the place is unknown. */
  sunElevationDeg: number | null;
}

export class PictureHealth {
  private state: PictureState = 'clear';
  private candidate: PictureState = 'clear';
  private candidateFrames = 0;
  private previousThumbnail: Uint8Array | null = null;
  private repeats = 0;

  /** The state after this frame (it changes only once enough frames agree). */
  observe(sample: PictureSample): PictureState {
    const seen = this.judge(sample);
    if (seen === this.candidate) this.candidateFrames++;
    else {
      this.candidate = seen;
      this.candidateFrames = 1;
    }

    const frozenIsImmediate = seen === 'frozen';
    if (frozenIsImmediate || this.candidateFrames >= PICTURE_HEALTH_LIMITS.confirmFrames) this.state = seen;
    return this.state;
  }

  get current(): PictureState {
    return this.state;
  }

  /**
   * This frame alone: frozen (counted over repeats); else, with little usable sky,
   * obstructed in daylight and night otherwise (also when the sun is unknown); else clear.
   */
  private judge(sample: PictureSample): PictureState {
    const limits = PICTURE_HEALTH_LIMITS;
    const pixels = sample.thumbnail.rgb;
    const same = this.previousThumbnail !== null && meanByteDifference(this.previousThumbnail, pixels) <= limits.frozenMeanByteDiffMax;
    this.repeats = same ? this.repeats + 1 : 0;
    this.previousThumbnail = pixels.slice();
    if (this.repeats >= limits.frozenRepeats) return 'frozen';

    const daylight = sample.sunElevationDeg !== null && sample.sunElevationDeg > limits.daylightElevationDeg;
    if (sample.skyFraction > limits.obstructedSkyFractionMax) return 'clear';
    return daylight ? 'obstructed' : 'night';
  }
}

/** Mean absolute byte difference of two pictures of the same size; Infinity if sizes differ. */
function meanByteDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length || a.length === 0) return Number.POSITIVE_INFINITY;
  let total = 0;
  for (let i = 0; i < a.length; i++) total += Math.abs(a[i]! - b[i]!);
  return total / a.length;
}
