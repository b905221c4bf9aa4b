/**
 * From changed pixels to motion regions, and from regions to the square crops the
 * detector looks at. Pure array code, no I/O.
 */
import type { FrameBox } from '../bus/events.js';
import type { PixelRect, RgbFrame } from './rgb-frame.js';

/** Where something moved, as fractions of the frame (0..1, top-left origin). */
export interface MotionRegion {
  box: FrameBox;
  /** Changed pixels of the working grey image in the region: its weight, not its area in the frame. */
  changedPixels: number;
}

export interface RegionOptions {
  /** Pieces at most this many working pixels apart join one region (a bird's wings, a ghost). */
  mergeGapPx: number;
  /** Regions with fewer changed working pixels are noise and dropped. */
  minChangedPixels: number;
  /** At most this many regions, the largest first. */
  maxRegions: number;
}

/**
 * Connected regions of `mask` (1 = changed), where pixels up to `mergeGapPx` apart
 * connect. Boxes span the changed pixels only. Largest first.
 */
export function regionsOfMask(
  mask: Uint8Array,
  width: number,
  height: number,
  options: RegionOptions,
): MotionRegion[] {
  const labelled = new Uint8Array(mask.length);
  const reach = Math.max(1, Math.round(options.mergeGapPx) + 1);
  const regions: MotionRegion[] = [];

  for (let start = 0; start < mask.length; start++) {
    if (mask[start] === 0 || labelled[start] === 1) continue;

    labelled[start] = 1;
    const stack = [start];
    let [left, top, right, bottom, count] = [width, height, -1, -1, 0];
    while (stack.length > 0) {
      const index = stack.pop()!;
      const x = index % width;
      const y = (index - x) / width;
      [left, right] = [Math.min(left, x), Math.max(right, x)];
      [top, bottom] = [Math.min(top, y), Math.max(bottom, y)];
      count++;

      for (let ny = Math.max(0, y - reach); ny <= Math.min(height - 1, y + reach); ny++) {
        for (let nx = Math.max(0, x - reach); nx <= Math.min(width - 1, x + reach); nx++) {
          const next = ny * width + nx;
          if (mask[next] === 1 && labelled[next] === 0) {
            labelled[next] = 1;
            stack.push(next);
          }
        }
      }
    }

    if (count < options.minChangedPixels) continue;
    const box = {
      x: left / width,
      y: top / height,
      width: (right + 1 - left) / width,
      height: (bottom + 1 - top) / height,
    };
    regions.push({ box, changedPixels: count });
  }

  return regions.sort((a, b) => b.changedPixels - a.changedPixels).slice(0, options.maxRegions);
}

export interface CropOptions {
  /** Smallest crop side, as a fraction of the frame's shorter side. Default 0.1. */
  minSideFraction?: number;
  /**
   * Smallest crop side in pixels: the detector enlarges a crop to its input (352 px for
   * FastestDet), and faint birds are lost when enlarged more than about 6 times. Default 64.
   */
  minSidePx?: number;
  /** The crop side is at least this many times the region's larger side. Default 5. */
  regionMultiple?: number;
  /** At most this many crops (each costs one inference). Default 6. */
  maxCrops?: number;
}

/**
 * Square pixel rectangles around the regions, enlarged so that the detector sees the mover
 * with some sky around it, shifted (not shrunk) to lie inside the frame. A region already
 * inside an earlier crop (with a tenth of its side to spare) gets none, so a flock's birds
 * may share a crop. The caller scales each crop up to the detector's input.
 * Regions come largest first; the biggest movers are looked at first when crops run out.
 */
export function motionCrops(
  frame: RgbFrame,
  regions: readonly MotionRegion[],
  options: CropOptions = {},
): PixelRect[] {
  const shorter = Math.min(frame.width, frame.height);
  const minSide = Math.max(options.minSidePx ?? 64, (options.minSideFraction ?? 0.1) * shorter);
  const multiple = options.regionMultiple ?? 5;
  const crops: PixelRect[] = [];

  for (const { box } of regions) {
    if (crops.length >= (options.maxCrops ?? 6)) break;

    const region = {
      left: box.x * frame.width,
      top: box.y * frame.height,
      right: (box.x + box.width) * frame.width,
      bottom: (box.y + box.height) * frame.height,
    };
    if (crops.some((crop) => holds(crop, region))) continue;

    const larger = Math.max(region.right - region.left, region.bottom - region.top);
    const side = Math.round(Math.min(shorter, Math.max(minSide, multiple * larger)));
    const centreX = (region.left + region.right) / 2;
    const centreY = (region.top + region.bottom) / 2;
    const left = Math.round(Math.min(Math.max(0, centreX - side / 2), frame.width - side));
    const top = Math.round(Math.min(Math.max(0, centreY - side / 2), frame.height - side));
    crops.push({ left, top, right: left + side, bottom: top + side });
  }

  return crops;
}

/** Whether `region` lies inside `crop` with a tenth of the crop's side to spare on every side. */
function holds(crop: PixelRect, region: PixelRect): boolean {
  const spare = (crop.right - crop.left) / 10;
  return (
    region.left >= crop.left + spare &&
    region.top >= crop.top + spare &&
    region.right <= crop.right - spare &&
    region.bottom <= crop.bottom - spare
  );
}
