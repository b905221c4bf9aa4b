/** Shared helpers for the vision tests: CCSN photographs and model paths, read in place. */
import { join } from 'node:path';
import sharp from 'sharp';
import type { RgbFrame } from '../../src/vision/rgb-frame.js';
import { SHARED_DIR } from '../support/paths.js';

export const MODELS_DIR = join(SHARED_DIR, 'models');
export const FASTESTDET_PATH = join(MODELS_DIR, 'FastestDet.onnx');
export const YOLOX_PATH = join(MODELS_DIR, 'yolox_nano.onnx');
export const CCSN_DIR = join(SHARED_DIR, 'data/ccsn');

/** Path of a CCSN photograph, e.g. `ccsnPath('Ac/Ac-N214')`. */
export function ccsnPath(name: string): string {
  return join(CCSN_DIR, `${name}.jpg`);
}

/** A CCSN photograph decoded to RGB. */
export async function ccsnFrame(name: string): Promise<RgbFrame> {
  const { data, info } = await sharp(ccsnPath(name))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { rgb: new Uint8Array(data), width: info.width, height: info.height };
}

/** A frame of one colour. */
export function solidFrame(
  width: number,
  height: number,
  colour: [number, number, number],
): RgbFrame {
  const rgb = new Uint8Array(width * height * 3);
  for (let index = 0; index < rgb.length; index += 3) rgb.set(colour, index);
  return { rgb, width, height };
}

/** Paints a rectangle (pixels, right/bottom exclusive) of `frame` in `colour`. */
export function paint(
  frame: RgbFrame,
  rect: { left: number; top: number; right: number; bottom: number },
  colour: [number, number, number],
): void {
  for (let y = rect.top; y < rect.bottom; y++) {
    for (let x = rect.left; x < rect.right; x++) frame.rgb.set(colour, (y * frame.width + x) * 3);
  }
}
