/**
 * JPEG frames to RGB, at the boundary: whatever arrives from a camera is checked here,
 * and a bad frame becomes a {@link FrameDecodeError} naming it, never a crash.
 */
import sharp, { type OutputInfo, type Sharp } from 'sharp';
import type { CameraFrame } from '../camera/frame.js';
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
 * Decodes a camera frame, encoded or raw, into RGB and a thumbnail. A raw frame whose
 * bytes do not match its stated size is refused. Rejects only with FrameDecodeError.
 */
export async function decodeCameraFrame(frame: CameraFrame): Promise<DecodedFrame> {
  if (frame.jpeg) return decodeFrame(frame.id, frame.jpeg);
  return decodeRawFrame(frame.id, frame.rgb);
}

/** Scales a raw frame down to at most {@link MAX_FRAME_SIDE} and makes its thumbnail. */
export async function decodeRawFrame(frameId: string, image: RgbFrame): Promise<DecodedFrame> {
  const { width, height } = image;
  const expected = width * height * 3;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new FrameDecodeError(frameId, `a raw frame of ${width}x${height} pixels cannot exist`);
  }
  if (image.rgb.length !== expected) {
    const reason = `a raw ${width}x${height} RGB frame needs ${expected} bytes, got ${image.rgb.length}`;
    throw new FrameDecodeError(frameId, reason);
  }

  const raw = { width, height, channels: 3 } as const;
  const fits = width <= MAX_FRAME_SIDE && height <= MAX_FRAME_SIDE;
  const full = fits
    ? image
    : await toRgb(frameId, () =>
        sharp(image.rgb, { raw }).resize(MAX_FRAME_SIDE, MAX_FRAME_SIDE, { fit: 'inside' }),
      );

  const fullRaw = { width: full.width, height: full.height, channels: 3 } as const;
  const thumbnail = await toRgb(frameId, () =>
    sharp(full.rgb, { raw: fullRaw }).resize(THUMBNAIL_SIDE, THUMBNAIL_SIDE, { fit: 'fill' }),
  );

  return { full, thumbnail };
}

/**
 * Decodes a JPEG (or any still image sharp reads) into RGB and a thumbnail.
 * Truncated files are refused (sharp's `failOn: 'truncated'`), as are empty buffers,
 * unknown formats and images over 40 megapixels. An EXIF orientation is applied, so the
 * pixels are upright as a viewer shows them. Rejects only with FrameDecodeError.
 */
export async function decodeFrame(frameId: string, jpeg: Buffer): Promise<DecodedFrame> {
  if (jpeg.length === 0) throw new FrameDecodeError(frameId, 'the image is empty (0 bytes)');

  const full = await toRgb(frameId, () =>
    sharp(jpeg, { failOn: 'truncated', limitInputPixels: MAX_INPUT_PIXELS })
      .autoOrient()
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
