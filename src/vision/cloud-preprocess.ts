/**
 * The cloud classifier's input, made the same way in training and at run time: the
 * training script (tools/train-cloud-classifier.py) gets its pixels from this very code
 * (through tools/cloud-classifier-pixels.ts), so no resize differs between the two.
 *
 * Steps: the largest centred square of the frame, resized by sharp (libvips, lanczos3)
 * to `size` x `size`, kept as 8-bit RGB; then laid out planar (NCHW, R G B planes) as
 * float32 0..255. Normalisation ((x / 255 - mean) / std) is inside the ONNX graph.
 */
import sharp from 'sharp';

/** A frame or buffer the classifier cannot take; the message says what was wrong. */
export class CloudInputError extends Error {
  override readonly name = 'CloudInputError';
}

/** Refuses frames that are not `width` x `height` RGB bytes, naming what was wrong. */
export function assertCloudFrame(rgb: Uint8Array, width: number, height: number): void {
  const sized = Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0;
  if (!sized) throw new CloudInputError(`frame size must be positive integers, got ${width}x${height}`);

  const expected = width * height * 3;
  if (!(rgb instanceof Uint8Array) || rgb.length !== expected) {
    const got = rgb instanceof Uint8Array ? `${rgb.length} bytes` : typeof rgb;
    throw new CloudInputError(`a ${width}x${height} RGB frame needs ${expected} bytes, got ${got}`);
  }
}

/**
 * The centred square of an RGB frame resized to `size` x `size` RGB bytes (lanczos3;
 * upscaled the same way when the frame is smaller). Rejects with CloudInputError.
 */
export async function cloudClassifierPixels(
  rgb: Uint8Array,
  width: number,
  height: number,
  size: number,
): Promise<Uint8Array> {
  assertCloudFrame(rgb, width, height);

  const side = Math.min(width, height);
  const square = {
    left: Math.floor((width - side) / 2),
    top: Math.floor((height - side) / 2),
    width: side,
    height: side,
  };

  const { data, info } = await sharp(rgb, { raw: { width, height, channels: 3 } })
    .extract(square)
    .resize(size, size, { kernel: 'lanczos3', fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 || data.length !== size * size * 3) {
    throw new CloudInputError(`resize gave ${info.width}x${info.height}x${info.channels}, not ${size}x${size}x3`);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

/** Interleaved RGB bytes (`size` x `size`) as a planar float32 tensor body, values 0..255. */
export function planarRgbTensor(pixels: Uint8Array, size: number): Float32Array {
  const plane = size * size;
  const tensor = new Float32Array(3 * plane);

  for (let pixel = 0; pixel < plane; pixel++) {
    tensor[pixel] = pixels[pixel * 3]!;
    tensor[plane + pixel] = pixels[pixel * 3 + 1]!;
    tensor[2 * plane + pixel] = pixels[pixel * 3 + 2]!;
  }

  return tensor;
}

/** The classifier's input tensor body for one frame: both steps above. */
export async function cloudClassifierInput(
  rgb: Uint8Array,
  width: number,
  height: number,
  size: number,
): Promise<Float32Array> {
  return planarRgbTensor(await cloudClassifierPixels(rgb, width, height, size), size);
}
