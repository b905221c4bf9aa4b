/**
 * Pixel tests that tell a small flying thing against the sky from the detector's usual
 * mistakes: tree tops and roofs on the horizon, lamp posts, poles and wires, flags on
 * the ground, bright cloud puffs, the sun and moon. A bird is a dark silhouette,
 * isolated, in a ring of bright, even sky.
 */
import type { FrameBox } from '../bus/events.js';
import { lumaByte, type PixelRect, type RgbFrame } from './rgb-frame.js';

/** What the pixels around (and in) a box look like. Luma values are 0..1. */
export interface Surroundings {
  /** Median luma of the ring around the box. */
  ringMedianLuma: number;
  /** Share of ring pixels darker than half the ring's median: ground, trees, buildings. */
  ringDarkFraction: number;
  /** 95th minus 5th percentile of ring luma: how uneven the ring is. */
  ringLumaSpread: number;
  /** How much darker the box's darkest tenth is than the ring, relative to the ring (≤ 1). */
  silhouetteContrast: number;
  /** Whether the dark object in the box reaches the edge of the examined area (a pole, a roof). */
  attachedToEdge: boolean;
}

/** Thresholds of {@link isSkySilhouette}, measured on the CCSN photographs. */
export const SKY_SILHOUETTE_LIMITS = {
  ringMedianLumaMin: 0.1,
  ringDarkFractionMax: 0.05,
  ringLumaSpreadMax: 0.35,
  silhouetteContrastMin: 0.25,
} as const;

/** The smallest ring margin in pixels, so that tiny boxes still get a ring to judge. */
const MIN_MARGIN_PX = 6;

/** The box in whole pixels, at least one pixel, inside the frame. */
export function boxToPixels(frame: RgbFrame, box: FrameBox): PixelRect {
  const left = clampInt(Math.floor(box.x * frame.width), 0, frame.width - 1);
  const top = clampInt(Math.floor(box.y * frame.height), 0, frame.height - 1);
  const right = clampInt(Math.ceil((box.x + box.width) * frame.width), left + 1, frame.width);
  const bottom = clampInt(Math.ceil((box.y + box.height) * frame.height), top + 1, frame.height);
  return { left, top, right, bottom };
}

/**
 * Measures the ring around `box`: the box grown by its larger side (at least
 * 6 px) on every side, clipped to the frame, minus the box itself.
 */
export function describeSurroundings(frame: RgbFrame, box: FrameBox): Surroundings {
  const inner = boxToPixels(frame, box);
  const margin = Math.max(inner.right - inner.left, inner.bottom - inner.top, MIN_MARGIN_PX);
  const outer: PixelRect = {
    left: Math.max(0, inner.left - margin),
    top: Math.max(0, inner.top - margin),
    right: Math.min(frame.width, inner.right + margin),
    bottom: Math.min(frame.height, inner.bottom + margin),
  };

  const lumas = regionLuma(frame, outer);
  const ringHistogram = new Uint32Array(256);
  const boxHistogram = new Uint32Array(256);
  forEachPixel(outer, (x, y, index) => {
    const inBox = x >= inner.left && x < inner.right && y >= inner.top && y < inner.bottom;
    (inBox ? boxHistogram : ringHistogram)[lumas[index]!]!++;
  });

  const ringMedian = percentile(ringHistogram, 0.5);
  const boxDarkest = percentile(boxHistogram, 0.1);
  const ringCount = countOf(ringHistogram);
  const darkLimit = ringMedian / 2;
  let dark = 0;
  for (let value = 0; value < darkLimit; value++) dark += ringHistogram[value]!;

  // An object pixel is nearer the object's darkest tenth than the ring's median.
  const objectCut = (ringMedian + boxDarkest) / 2;

  return {
    ringMedianLuma: ringMedian / 255,
    ringDarkFraction: ringCount > 0 ? dark / ringCount : 1,
    ringLumaSpread: (percentile(ringHistogram, 0.95) - percentile(ringHistogram, 0.05)) / 255,
    silhouetteContrast: ringMedian > 0 ? (ringMedian - boxDarkest) / ringMedian : 0,
    attachedToEdge: darkReachesEdge(lumas, outer, inner, objectCut),
  };
}

/** The pixel rule: a dark, isolated silhouette in a ring of bright, even sky. */
export function isSkySilhouette(surroundings: Surroundings): boolean {
  const limits = SKY_SILHOUETTE_LIMITS;
  return (
    surroundings.ringMedianLuma >= limits.ringMedianLumaMin &&
    surroundings.ringDarkFraction <= limits.ringDarkFractionMax &&
    surroundings.ringLumaSpread <= limits.ringLumaSpreadMax &&
    surroundings.silhouetteContrast >= limits.silhouetteContrastMin &&
    !surroundings.attachedToEdge
  );
}

/**
 * Flood-fills (8-connected) from the box's pixels darker than `cut` through dark
 * pixels of `region`; true if the fill touches the region's border. A bird is an
 * island; a pole, wire, roof or tree runs on out of the region.
 */
function darkReachesEdge(
  lumas: Uint8Array,
  region: PixelRect,
  box: PixelRect,
  cut: number,
): boolean {
  const width = region.right - region.left;
  const height = region.bottom - region.top;
  const visited = new Uint8Array(width * height);
  const stack: number[] = [];

  for (let y = box.top; y < box.bottom; y++) {
    for (let x = box.left; x < box.right; x++) {
      const index = (y - region.top) * width + (x - region.left);
      if (lumas[index]! < cut) {
        visited[index] = 1;
        stack.push(index);
      }
    }
  }

  while (stack.length > 0) {
    const index = stack.pop()!;
    const x = index % width;
    const y = (index - x) / width;
    if (x === 0 || y === 0 || x === width - 1 || y === height - 1) return true;

    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const next = index + dy * width + dx;
        if (visited[next] === 0 && lumas[next]! < cut) {
          visited[next] = 1;
          stack.push(next);
        }
      }
    }
  }

  return false;
}

function regionLuma(frame: RgbFrame, region: PixelRect): Uint8Array {
  const width = region.right - region.left;
  const lumas = new Uint8Array(width * (region.bottom - region.top));
  forEachPixel(region, (x, y, index) => {
    const source = (y * frame.width + x) * 3;
    lumas[index] = lumaByte(frame.rgb[source]!, frame.rgb[source + 1]!, frame.rgb[source + 2]!);
  });
  return lumas;
}

function forEachPixel(
  region: PixelRect,
  visit: (x: number, y: number, index: number) => void,
): void {
  let index = 0;
  for (let y = region.top; y < region.bottom; y++) {
    for (let x = region.left; x < region.right; x++) visit(x, y, index++);
  }
}

/** The value at fraction `p` (0..1) of a 256-bin histogram; 0 for an empty one. */
function percentile(histogram: Uint32Array, p: number): number {
  const total = countOf(histogram);
  if (total === 0) return 0;

  const rank = Math.min(total - 1, Math.floor(p * total));
  let seen = 0;
  for (let value = 0; value < histogram.length; value++) {
    seen += histogram[value]!;
    if (seen > rank) return value;
  }
  return histogram.length - 1;
}

function countOf(histogram: Uint32Array): number {
  let total = 0;
  for (const count of histogram) total += count;
  return total;
}

function clampInt(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
