/**
 * Motion in the sky camera's frames, by differencing small grey images. The current frame
 * is compared with each of the last two (after matching their overall brightness to it),
 * and a pixel has moved only where it differs from both: a bird is where it is now, not
 * where it was (its old place matches one of the older frames). With only one earlier
 * frame, the old place shows too, as a ghost region the detector then finds empty.
 *
 * The threshold adapts to light: it is the largest of a floor, a fraction of the frame's
 * median brightness (a dim frame needs a smaller step), and a multiple of the noise,
 * estimated from the median difference and smoothed over frames. A whole-frame change
 * (the sun behind a cloud, lights switching, a camera going to infrared) is reported as
 * a light change with no regions, and the earlier frames are forgotten so that the next
 * frame compares with the new light.
 *
 * Pure and clock-free: time comes only from each frame's `at`. Caveats: a bird hovering
 * in place, or moving less than its own size between frames, shows only its leading
 * edge or nothing; clouds drifting fast enough show as motion (the detector, which sees
 * no bird in them, is the filter); frames further apart than `maxGapMs` are unrelated.
 */
import { shrinkToGrey, medianLevel, type GreyImage } from './grey-image.js';
import { regionsOfMask, type MotionRegion } from './motion-regions.js';
import type { RgbFrame } from './rgb-frame.js';

export interface MotionOptions {
  /** Width in pixels of the grey working image. Default 160. */
  workWidth: number;
  /** Smallest threshold, in luma levels (0..255). Default 4. */
  thresholdFloor: number;
  /** Smallest threshold as a fraction of the frame's median luma. Default 0.06. */
  contrastMin: number;
  /** The threshold is at least this many noise sigmas. Default 4. */
  noiseFactor: number;
  /** A frame's noise estimate counts at most this fraction of its median luma (more is change). Default 0.03. */
  noiseFractionMax: number;
  /** A brightness ratio to the previous frame further than this from 1 is a light change. Default 0.2. */
  gainChangeMax: number;
  /** More than this fraction of pixels changed is a light change. Default 0.15. */
  changedFractionMax: number;
  /** Frames further apart (ms) are unrelated: the earlier ones are forgotten. Default 10 000. */
  maxGapMs: number;
  /** Pieces at most this many working pixels apart join one region. Default 2. */
  mergeGapPx: number;
  /** Regions with fewer changed working pixels are dropped as noise. Default 3. */
  minChangedPixels: number;
  /** At most this many regions per frame, the largest first. Default 12. */
  maxRegions: number;
}

export const DEFAULT_MOTION_OPTIONS: MotionOptions = {
  workWidth: 160,
  thresholdFloor: 4,
  contrastMin: 0.06,
  noiseFactor: 4,
  noiseFractionMax: 0.03,
  gainChangeMax: 0.2,
  changedFractionMax: 0.15,
  maxGapMs: 10_000,
  mergeGapPx: 2,
  minChangedPixels: 3,
  maxRegions: 12,
};

/** What one frame showed against the earlier ones. */
export type MotionResult =
  | {
      kind: 'motion';
      /** Empty when nothing moved. */
      regions: MotionRegion[];
      /** The threshold used, in luma levels (0..255). */
      thresholdLevel: number;
      /** Share of working pixels over the threshold, before noise regions were dropped. */
      changedFraction: number;
    }
  | {
      kind: 'light-change';
      reason: 'brightness' | 'widespread';
      /** Median brightness now over that of the previous frame. */
      gain: number;
      changedFraction: number;
    }
  /** Nothing to compare with: the first frame, or one after a gap or a change of size. */
  | { kind: 'no-reference' };

const REFERENCE_COUNT = 2;
/** Weight of a new frame's noise estimate in the smoothed one. */
const NOISE_SMOOTHING = 0.2;
/** Median absolute deviation to sigma, for normal noise. */
const MAD_TO_SIGMA = 1.4826;

export class MotionDetector {
  private readonly options: MotionOptions;
  /** The latest frames' grey images, newest first, with their median luma. */
  private references: Array<{ grey: GreyImage; median: number }> = [];
  private lastAt: number | null = null;
  /** Smoothed noise sigma in luma levels; null until two frames were compared. */
  private noiseSigma: number | null = null;

  constructor(options: Partial<MotionOptions> = {}) {
    this.options = { ...DEFAULT_MOTION_OPTIONS, ...options };
  }

  /** Compares `frame` (captured at `at`, epoch ms) with the earlier frames and keeps it. */
  observe(frame: RgbFrame, at: number): MotionResult {
    const options = this.options;
    const grey = shrinkToGrey(frame, options.workWidth);
    const median = medianLevel(grey.luma);
    const comparable = this.comparableReferences(grey, at);
    this.lastAt = at;

    if (comparable.length === 0) {
      this.keep({ grey, median }, true);
      return { kind: 'no-reference' };
    }

    const gain = median / Math.max(1, comparable[0]!.median);
    if (Math.abs(gain - 1) > options.gainChangeMax) {
      this.keep({ grey, median }, true);
      return { kind: 'light-change', reason: 'brightness', gain, changedFraction: 1 };
    }

    const difference = leastDifference(grey, comparable, median);
    const measuredNoise = MAD_TO_SIGMA * medianLevel(difference);
    const frameNoise = Math.min(measuredNoise, options.noiseFractionMax * median);
    const noise = this.noiseSigma ?? frameNoise;
    const thresholdLevel = Math.max(
      options.thresholdFloor,
      options.contrastMin * median,
      options.noiseFactor * noise,
    );

    const mask = new Uint8Array(difference.length);
    let changed = 0;
    for (let index = 0; index < difference.length; index++) {
      if (difference[index]! > thresholdLevel) [mask[index], changed] = [1, changed + 1];
    }
    const changedFraction = changed / difference.length;

    if (changedFraction > options.changedFractionMax) {
      this.keep({ grey, median }, true);
      return { kind: 'light-change', reason: 'widespread', gain, changedFraction };
    }

    this.noiseSigma = noise + NOISE_SMOOTHING * (frameNoise - noise);
    this.keep({ grey, median }, false);
    const regions = regionsOfMask(mask, grey.width, grey.height, options);
    return { kind: 'motion', regions, thresholdLevel, changedFraction };
  }

  /** Forgets every earlier frame, as after a camera restart. */
  reset(): void {
    this.references = [];
    this.lastAt = null;
    this.noiseSigma = null;
  }

  /** The earlier frames `grey` can be compared with: none after a gap or a change of size. */
  private comparableReferences(grey: GreyImage, at: number) {
    const gapped = this.lastAt !== null && Math.abs(at - this.lastAt) > this.options.maxGapMs;
    const first = this.references[0];
    const resized =
      first !== undefined && (first.grey.width !== grey.width || first.grey.height !== grey.height);
    if (gapped || resized) this.reset();
    return this.references;
  }

  private keep(reference: { grey: GreyImage; median: number }, forgetEarlier: boolean): void {
    const kept = forgetEarlier ? [] : this.references.slice(0, REFERENCE_COUNT - 1);
    this.references = [reference, ...kept];
  }
}

/**
 * Per pixel, the smallest absolute difference between `grey` and each reference scaled
 * to `grey`'s median brightness (the global gain compensated).
 */
function leastDifference(
  grey: GreyImage,
  references: ReadonlyArray<{ grey: GreyImage; median: number }>,
  median: number,
): Float32Array {
  const least = new Float32Array(grey.luma.length).fill(Number.POSITIVE_INFINITY);
  for (const reference of references) {
    const gain = median / Math.max(1, reference.median);
    const luma = reference.grey.luma;
    for (let index = 0; index < least.length; index++) {
      const difference = Math.abs(grey.luma[index]! - gain * luma[index]!);
      if (difference < least[index]!) least[index] = difference;
    }
  }
  return least;
}
