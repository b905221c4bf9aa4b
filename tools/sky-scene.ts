/**
 * Synthetic sky scenes for the motion and flock tests, the golden flock day and the flock
 * benchmark: real CCSN skies, with dark blobs or
 * real birds cut out of other CCSN photographs pasted on them, and seeded sensor noise.
 */
import sharp from 'sharp';
import { join, resolve } from 'node:path';
import { lumaByte, type RgbFrame } from '../src/vision/rgb-frame.js';

/** The CCSN photographs in ../shared, beside the repository. */
const CCSN_DIR = resolve(import.meta.dirname, '../../shared/data/ccsn');

/** A bird cut out of a photograph: its pixels and how much of each to paste (0..1). */
export interface BirdSprite {
  width: number;
  height: number;
  rgb: Uint8Array;
  alpha: Float32Array;
}

/** A copy of a frame. */
export function copyFrame(frame: RgbFrame): RgbFrame {
  return { rgb: new Uint8Array(frame.rgb), width: frame.width, height: frame.height };
}

/**
 * Cuts the bird at (`x`, `y`) (fractions) of a CCSN photograph: a `side`-pixel square
 * around it, where a pixel belongs to the bird as far as it is darker than the square's
 * median sky (fully from 35% darker, not at all under 12%).
 */
export async function cutBird(photo: string, x: number, y: number, side = 16): Promise<BirdSprite> {
  const { data, info } = await sharp(join(CCSN_DIR, `${photo}.jpg`)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const left = Math.round(x * info.width - side / 2);
  const top = Math.round(y * info.height - side / 2);

  const rgb = new Uint8Array(side * side * 3);
  const lumas: number[] = [];
  for (let row = 0; row < side; row++) {
    for (let column = 0; column < side; column++) {
      const source = ((top + row) * info.width + left + column) * 3;
      rgb.set(data.subarray(source, source + 3), (row * side + column) * 3);
      lumas.push(lumaByte(data[source]!, data[source + 1]!, data[source + 2]!));
    }
  }

  const sky = [...lumas].sort((a, b) => a - b)[Math.floor(lumas.length / 2)]!;
  const alpha = new Float32Array(lumas.map((luma) => clamp(((sky - luma) / sky - 0.12) / 0.23, 0, 1)));
  return { width: side, height: side, rgb, alpha };
}

/** Pastes `sprite` centred at pixel (`centreX`, `centreY`) of `frame`, clipped to the frame. */
export function pasteBird(frame: RgbFrame, sprite: BirdSprite, centreX: number, centreY: number): void {
  const left = Math.round(centreX - sprite.width / 2);
  const top = Math.round(centreY - sprite.height / 2);
  for (let row = 0; row < sprite.height; row++) {
    for (let column = 0; column < sprite.width; column++) {
      const [x, y] = [left + column, top + row];
      const alpha = sprite.alpha[row * sprite.width + column]!;
      if (alpha === 0 || x < 0 || y < 0 || x >= frame.width || y >= frame.height) continue;

      const target = (y * frame.width + x) * 3;
      const source = (row * sprite.width + column) * 3;
      for (let channel = 0; channel < 3; channel++) {
        const blended = (1 - alpha) * frame.rgb[target + channel]! + alpha * sprite.rgb[source + channel]!;
        frame.rgb[target + channel] = Math.round(blended);
      }
    }
  }
}

/** Adds Gaussian noise of `sigma` levels to every channel, from a seeded generator. */
export function addNoise(frame: RgbFrame, sigma: number, seed: number): void {
  const random = seededRandom(seed);
  for (let index = 0; index < frame.rgb.length; index++) {
    const gaussian = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    frame.rgb[index] = clamp(Math.round(frame.rgb[index]! + sigma * gaussian), 0, 255);
  }
}

/** Multiplies every channel by `gain` (the sun behind a cloud, an exposure step). */
export function scaleBrightness(frame: RgbFrame, gain: number): void {
  for (let index = 0; index < frame.rgb.length; index++) {
    frame.rgb[index] = clamp(Math.round(frame.rgb[index]! * gain), 0, 255);
  }
}

/**
 * A camera switching to infrared: grey pixels, from a mix in which blue sky comes out dark
 * and white cloud bright, as near-infrared does, at the same mean brightness as before
 * (the camera's exposure follows), so that only the picture's structure changes.
 */
export function infraredLook(frame: RgbFrame): void {
  const greys = new Float32Array(frame.width * frame.height);
  let [meanBefore, meanAfter] = [0, 0];
  for (let pixel = 0; pixel < greys.length; pixel++) {
    const [r, g, b] = [frame.rgb[pixel * 3]!, frame.rgb[pixel * 3 + 1]!, frame.rgb[pixel * 3 + 2]!];
    greys[pixel] = Math.max(0, 1.9 * r - 0.5 * g - 0.5 * b + 30);
    meanBefore += lumaByte(r, g, b) / greys.length;
    meanAfter += greys[pixel]! / greys.length;
  }

  for (let pixel = 0; pixel < greys.length; pixel++) {
    const grey = clamp(Math.round((greys[pixel]! * meanBefore) / meanAfter), 0, 255);
    frame.rgb.fill(grey, pixel * 3, pixel * 3 + 3);
  }
}

/** A deterministic generator of numbers in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
