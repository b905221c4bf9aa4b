/**
 * Bilinear resampling of interleaved RGB bytes straight into a planar BGR float tensor,
 * the layout both detectors take. Follows OpenCV's INTER_LINEAR convention (pixel
 * centres at +0.5, edges clamped) so results match the models' reference preprocessing.
 */
export interface PlanarTarget {
  /** Destination tensor data, 3 planes of `tensorWidth * tensorHeight` (B, G, R). */
  data: Float32Array;
  tensorWidth: number;
  tensorHeight: number;
}

/**
 * Resizes `rgb` (`width` x `height`, 3 bytes a pixel) to `outWidth` x `outHeight` and
 * writes it at the top-left of `target`, each byte multiplied by `scale`. Pixels of the
 * target outside that area are left as they are (callers pre-fill padding).
 */
export function resizeIntoPlanarBgr(
  rgb: Uint8Array,
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
  scale: number,
  target: PlanarTarget,
): void {
  const plane = target.tensorWidth * target.tensorHeight;
  const xScale = width / outWidth;
  const yScale = height / outHeight;
  const xs = sampleTable(outWidth, xScale, width);

  for (let oy = 0; oy < outHeight; oy++) {
    const sy = Math.min(Math.max((oy + 0.5) * yScale - 0.5, 0), height - 1);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, height - 1);
    const wy = sy - y0;
    const row0 = y0 * width * 3;
    const row1 = y1 * width * 3;
    const outRow = oy * target.tensorWidth;

    for (let ox = 0; ox < outWidth; ox++) {
      const x0 = xs.left[ox]! * 3;
      const x1 = xs.right[ox]! * 3;
      const wx = xs.weight[ox]!;
      const out = outRow + ox;

      for (let channel = 0; channel < 3; channel++) {
        const top = rgb[row0 + x0 + channel]! * (1 - wx) + rgb[row0 + x1 + channel]! * wx;
        const bottom = rgb[row1 + x0 + channel]! * (1 - wx) + rgb[row1 + x1 + channel]! * wx;
        // RGB channel c goes to BGR plane 2 - c.
        target.data[(2 - channel) * plane + out] = (top * (1 - wy) + bottom * wy) * scale;
      }
    }
  }
}

interface SampleTable {
  left: Int32Array;
  right: Int32Array;
  weight: Float32Array;
}

function sampleTable(outSize: number, ratio: number, inSize: number): SampleTable {
  const table: SampleTable = {
    left: new Int32Array(outSize),
    right: new Int32Array(outSize),
    weight: new Float32Array(outSize),
  };

  for (let o = 0; o < outSize; o++) {
    const source = Math.min(Math.max((o + 0.5) * ratio - 0.5, 0), inSize - 1);
    const left = Math.floor(source);
    table.left[o] = left;
    table.right[o] = Math.min(left + 1, inSize - 1);
    table.weight[o] = source - left;
  }

  return table;
}

/** Throws unless `rgb` holds exactly `width * height` RGB pixels. */
export function assertRgbFrame(rgb: Uint8Array, width: number, height: number): void {
  const valid = Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0;
  if (!valid) throw new RangeError(`frame size must be positive integers, got ${width}x${height}`);
  if (rgb.length !== width * height * 3) {
    throw new RangeError(
      `frame of ${width}x${height} needs ${width * height * 3} RGB bytes, got ${rgb.length}`,
    );
  }
}
