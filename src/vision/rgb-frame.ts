import type { FrameBox } from '../bus/events.js';
import type { RgbImage } from '../camera/frame.js';

/** A decoded image: interleaved 8-bit RGB, row-major, top-left first, no padding. */
export type RgbFrame = RgbImage;

/** Luma of one pixel on a 0..255 scale (BT.601 weights, integer arithmetic). */
export function lumaByte(r: number, g: number, b: number): number {
  return (77 * r + 150 * g + 29 * b) >> 8;
}

/** A pixel rectangle inside a frame: left/top inclusive, right/bottom exclusive. */
export interface PixelRect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Copies a rectangle of `frame` into a new frame. The rectangle must lie inside it. */
export function cropFrame(frame: RgbFrame, rect: PixelRect): RgbFrame {
  const width = rect.right - rect.left;
  const height = rect.bottom - rect.top;
  const rgb = new Uint8Array(width * height * 3);

  for (let y = 0; y < height; y++) {
    const start = ((rect.top + y) * frame.width + rect.left) * 3;
    rgb.set(frame.rgb.subarray(start, start + width * 3), y * width * 3);
  }

  return { rgb, width, height };
}

/** A box given as fractions of a crop at `rect`, as fractions of the whole `frame`. */
export function cropBoxToFrame(box: FrameBox, rect: PixelRect, frame: RgbFrame): FrameBox {
  const width = rect.right - rect.left;
  const height = rect.bottom - rect.top;
  return {
    x: (rect.left + box.x * width) / frame.width,
    y: (rect.top + box.y * height) / frame.height,
    width: (box.width * width) / frame.width,
    height: (box.height * height) / frame.height,
  };
}
