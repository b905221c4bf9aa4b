/**
 * JPEG frames to RGB, at the boundary: whatever arrives from a camera is checked here,
 * and a bad frame becomes a {@link FrameDecodeError} naming it, never a crash.
 */
import sharp, { type OutputInfo, type Sharp } from 'sharp';
import type { RgbFrame } from './rgb-frame.js';

/** Side of the square thumbnail the cloud-cover measure works on. */
export const THUMBNAIL_SIDE = 64;

/** Frames larger than this on either side are scaled down (aspect kept) to bound memory. */
export const MAX_FRAME_SIDE = 1920;

/** Frames of more pixels than this are refused before decoding (a decompression bomb). */
const MAX_INPUT_PIXELS = 40_000_000;

/** A frame that could not be decoded; `frameId` names it, the message says why. */
export class FrameDecodeError extends Error {
  override readonly name = 'FrameDecodeError';

  constructor(
    readonly frameId: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`frame ${frameId} could not be decoded: ${reason}`, options);
  }
}

export interface DecodedFrame {
  /** The frame, at most {@link MAX_FRAME_SIDE} on either side. */
  full: RgbFrame;
  /** The whole frame squeezed to {@link THUMBNAIL_SIDE} square (aspect not kept). */
  thumbnail: RgbFrame;
}

/**
 * Decodes a JPEG (or any still image sharp reads) into RGB and a thumbnail.
 * Truncated files are refused (sharp's `failOn: 'truncated'`), as are empty buffers,
 * unknown formats and images over 40 megapixels. Rejects only with FrameDecodeError.
 */
export async function decodeFrame(frameId: string, jpeg: Buffer): Promise<DecodedFrame> {
  if (jpeg.length === 0) throw new FrameDecodeError(frameId, 'the image is empty (0 bytes)');

  const full = await toRgb(frameId, () =>
    sharp(jpeg, { failOn: 'truncated', limitInputPixels: MAX_INPUT_PIXELS })
      .resize(MAX_FRAME_SIDE, MAX_FRAME_SIDE, { fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .removeAlpha(),
  );

  const raw = { width: full.width, height: full.height, channels: 3 } as const;
  const thumbnail = await toRgb(frameId, () =>
    sharp(full.rgb, { raw }).resize(THUMBNAIL_SIDE, THUMBNAIL_SIDE, { fit: 'fill' }),
  );

  return { full, thumbnail };
}

async function toRgb(frameId: string, pipeline: () => Sharp): Promise<RgbFrame> {
  let output: { data: Buffer; info: OutputInfo };
  try {
    output = await pipeline().raw().toBuffer({ resolveWithObject: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new FrameDecodeError(frameId, reason, { cause: error });
  }

  const { data, info } = output;
  if (info.channels !== 3 || data.length !== info.width * info.height * 3) {
    const size = `${info.width}x${info.height}`;
    const reason = `decoder gave ${info.channels} channels, ${data.length} bytes for ${size}`;
    throw new FrameDecodeError(frameId, reason);
  }

  const rgb = new Uint8Array(data.buffer, data.byteOffset, data.length);
  return { rgb, width: info.width, height: info.height };
}
