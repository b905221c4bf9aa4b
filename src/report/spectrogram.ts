/** The spectrogram as a PNG, to be placed in the timeline picture. */
import sharp from 'sharp';
import type { AudioAnalysis } from './audio-analysis.js';
import { dbColour } from './colours.js';

/** Levels shown below the loudest cell; quieter cells are black. */
export const SPECTROGRAM_RANGE_DB = 80;

/**
 * Paints the analysis's power as a PNG (one pixel per column and row, low frequencies at the
 * bottom), in dB relative to its loudest cell. Silence everywhere paints black.
 */
export async function spectrogramPng(analysis: AudioAnalysis): Promise<Buffer> {
  const { columns, rows, power } = analysis;
  const db = Float32Array.from(power, (p) => 10 * Math.log10(p + 1e-20));
  const top = db.reduce((a, b) => Math.max(a, b), -Infinity);
  const floor = top - SPECTROGRAM_RANGE_DB;

  const pixels = Buffer.alloc(columns * rows * 3);
  for (let column = 0; column < columns; column++) {
    for (let row = 0; row < rows; row++) {
      const level = top <= -190 ? 0 : (db[column * rows + row]! - floor) / SPECTROGRAM_RANGE_DB;
      const [r, g, b] = dbColour(level);
      const offset = ((rows - 1 - row) * columns + column) * 3;
      pixels[offset] = r;
      pixels[offset + 1] = g;
      pixels[offset + 2] = b;
    }
  }
  return sharp(pixels, { raw: { width: columns, height: rows, channels: 3 } }).png().toBuffer();
}
