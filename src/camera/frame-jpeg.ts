import sharp from 'sharp';
import type { CameraFrame } from './frame.js';

/** The frame as a JPEG: an encoded frame as it came, a raw one encoded by sharp at quality 90. */
export async function frameJpeg(frame: CameraFrame): Promise<Buffer> {
  if (frame.jpeg) return frame.jpeg;
  const { rgb, width, height } = frame.rgb!;
  return sharp(rgb, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
}
