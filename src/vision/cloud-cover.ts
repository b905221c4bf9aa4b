/**
 * Cloud cover and brightness from pixels, without training: the red/blue ratio test
 * used by ground-based sky imagers. Clear sky scatters blue (R much less than B); cloud
 * scatters all colours alike (R close to B). Works on a small thumbnail (64x64 is plenty).
 *
 * Measured on CCSN (every other photograph, 64x64, ratio 0.7), median cover per genus:
 * St 0.97, Ns 0.99, As 0.99, Sc 0.97, Cs 0.83, Ac 0.80, Cb 0.80, Cu 0.65, Cc 0.57,
 * Ci 0.48, Ct 0.40; over 0.7 for 82% of St and Ns photographs, 31% of Ci.
 *
 * Known limits: ground, trees and buildings in view count as sky pixels unless they
 * are dark, and brown or grey ones count as cloud; an orange sky at sunrise or sunset
 * reads as cloud; haze reads as thin cloud. The camera should look mostly at the sky.
 */
import { lumaByte, type RgbFrame } from './rgb-frame.js';

export interface SkyMeasurement {
  /** Cloud pixels over usable sky pixels, 0..1; null when too little sky is usable. */
  coverFraction: number | null;
  /** Mean luma of the whole image, 0..1. */
  brightness: number;
  /** Usable sky pixels (neither glare nor dark) over all pixels, 0..1. */
  skyFraction: number;
}

export const CLOUD_COVER_LIMITS = {
  /** A pixel whose red/blue ratio is above this is cloud. */
  cloudRedBlueRatioMin: 0.7,
  /** Pixels darker than this luma (0..1) are ground, trees or night: not sky. */
  darkLumaMax: 0.1,
  /** Pixels with every channel at or above this byte are sun glare: not judged. */
  glareByteMin: 250,
  /** Below this share of usable pixels, cover is not measured. */
  skyFractionMin: 0.02,
} as const;

/** Measures cloud cover and brightness of an RGB image (any size; meant for a thumbnail). */
export function measureSky(image: RgbFrame): SkyMeasurement {
  const limits = CLOUD_COVER_LIMITS;
  const darkByte = limits.darkLumaMax * 255;
  const pixels = image.width * image.height;
  let lumaSum = 0;
  let sky = 0;
  let cloud = 0;

  for (let index = 0; index < pixels * 3; index += 3) {
    const red = image.rgb[index]!;
    const green = image.rgb[index + 1]!;
    const blue = image.rgb[index + 2]!;
    const luma = lumaByte(red, green, blue);
    lumaSum += luma;

    const glareMin = limits.glareByteMin;
    const glare = red >= glareMin && green >= glareMin && blue >= glareMin;
    if (glare || luma < darkByte) continue;

    sky++;
    if (red > limits.cloudRedBlueRatioMin * blue) cloud++;
  }

  const skyFraction = pixels > 0 ? sky / pixels : 0;
  return {
    coverFraction: skyFraction >= limits.skyFractionMin ? cloud / sky : null,
    brightness: pixels > 0 ? lumaSum / pixels / 255 : 0,
    skyFraction,
  };
}
