/**
 * Small grey images for motion: a frame shrunk by area averaging to a working width, and
 * the few statistics the motion detector needs of them. Luma is on the 0..255 scale.
 */
import { lumaByte, type RgbFrame } from './rgb-frame.js';

/** Luma per pixel, row-major, top-left first. Values are 0..255 (fractional after averaging). */
export interface GreyImage {
  luma: Float32Array;
  width: number;
  height: number;
}

/**
 * The frame's luma shrunk to `width` pixels wide (aspect kept) by averaging every source
 * pixel into the cell it falls in, which also lowers sensor noise. A frame narrower
 * than `width` keeps its own size (never enlarged).
 */
export function shrinkToGrey(frame: RgbFrame, width: number): GreyImage {
  const targetWidth = Math.max(1, Math.min(frame.width, Math.round(width)));
  const targetHeight = Math.max(1, Math.round((frame.height * targetWidth) / frame.width));
  const columnCell = cellIndex(frame.width, targetWidth);
  const rowCell = cellIndex(frame.height, targetHeight);

  const sums = new Float32Array(targetWidth * targetHeight);
  const counts = new Uint32Array(targetWidth * targetHeight);
  const rgb = frame.rgb;
  for (let y = 0; y < frame.height; y++) {
    const rowStart = rowCell[y]! * targetWidth;
    let source = y * frame.width * 3;
    for (let x = 0; x < frame.width; x++, source += 3) {
      const cell = rowStart + columnCell[x]!;
      sums[cell]! += lumaByte(rgb[source]!, rgb[source + 1]!, rgb[source + 2]!);
      counts[cell]!++;
    }
  }

  for (let cell = 0; cell < sums.length; cell++) sums[cell]! /= counts[cell]!;
  return { luma: sums, width: targetWidth, height: targetHeight };
}

/** The median of `values` (0..255 scale, resolved to 1/4 level). 0 for an empty array. */
export function medianLevel(values: Float32Array): number {
  if (values.length === 0) return 0;

  const bins = 1024;
  const histogram = new Uint32Array(bins);
  for (const value of values) histogram[Math.min(bins - 1, Math.max(0, Math.round(value * 4)))]!++;

  const rank = Math.floor(values.length / 2);
  let seen = 0;
  for (let bin = 0; bin < bins; bin++) {
    seen += histogram[bin]!;
    if (seen > rank) return bin / 4;
  }
  return (bins - 1) / 4;
}

/** For each source index 0..sourceSize-1, the target cell 0..targetSize-1 it averages into. */
function cellIndex(sourceSize: number, targetSize: number): Uint32Array {
  const cells = new Uint32Array(sourceSize);
  for (let index = 0; index < sourceSize; index++) {
    cells[index] = Math.min(targetSize - 1, Math.floor((index * targetSize) / sourceSize));
  }
  return cells;
}
