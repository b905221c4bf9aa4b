/**
 * YOLOX-Nano (Megvii, Apache-2.0): tensor layout, preprocessing and output decoding.
 * Pure functions; the ONNX session lives in the detector worker.
 *
 * Input `images` float32 [1,3,416,416]: BGR, 0..255 (no scaling), the frame resized
 * with its aspect kept and placed at the top left, the rest filled with 114.
 * Output float32 [1,3549,85]: one row per cell of the 52x52, 26x26 and 13x13 grids
 * (strides 8, 16, 32, row-major, in that order): x, y offsets from the cell, log width,
 * log height (in strides), objectness and 80 class scores (both sigmoid applied in the
 * graph); score = objectness * class score.
 */
import type { Detection } from '../bus/events.js';
import { clippedBox } from './fastestdet.js';
import { COCO_CLASS_COUNT, cocoLabel } from './labels.js';
import { assertRgbFrame, resizeIntoPlanarBgr } from './planar.js';

export const YOLOX_INPUT_NAME = 'images';
export const YOLOX_INPUT_SIZE = 416;
export const YOLOX_STRIDES: readonly number[] = [8, 16, 32];
export const YOLOX_ROW_LENGTH = 5 + COCO_CLASS_COUNT;
export const YOLOX_PAD_VALUE = 114;

/** Total rows in the output: 52² + 26² + 13² = 3549. */
export const YOLOX_ROWS = YOLOX_STRIDES.reduce(
  (sum, stride) => sum + (YOLOX_INPUT_SIZE / stride) ** 2,
  0,
);

/** Scale from frame pixels to tensor pixels (the letterbox ratio). */
export function yoloxScale(width: number, height: number): number {
  return Math.min(YOLOX_INPUT_SIZE / width, YOLOX_INPUT_SIZE / height);
}

/** Tensor data [1,3,416,416] for an RGB frame of any size. */
export function preprocessYolox(rgb: Uint8Array, width: number, height: number): Float32Array {
  assertRgbFrame(rgb, width, height);

  const size = YOLOX_INPUT_SIZE;
  const data = new Float32Array(3 * size * size).fill(YOLOX_PAD_VALUE);
  const scale = yoloxScale(width, height);
  const outWidth = Math.max(1, Math.min(size, Math.floor(width * scale)));
  const outHeight = Math.max(1, Math.min(size, Math.floor(height * scale)));
  const target = { data, tensorWidth: size, tensorHeight: size };
  resizeIntoPlanarBgr(rgb, width, height, outWidth, outHeight, 1, target);

  return data;
}

/**
 * Decodes the raw output for a frame of `width` x `height` into detections scoring at
 * least `scoreMin` (0..1), one per row at most (its best class), boxes as fractions of
 * the frame, clipped to it. No suppression: pass the result through NMS.
 * Throws if `output` has the wrong length.
 */
export function decodeYolox(
  output: Float32Array,
  width: number,
  height: number,
  scoreMin: number,
): Detection[] {
  if (output.length !== YOLOX_ROWS * YOLOX_ROW_LENGTH) {
    throw new RangeError(
      `YOLOX output must hold ${YOLOX_ROWS * YOLOX_ROW_LENGTH} values, got ${output.length}`,
    );
  }

  const scale = yoloxScale(width, height);
  const detections: Detection[] = [];
  let row = 0;

  for (const stride of YOLOX_STRIDES) {
    const cellsPerSide = YOLOX_INPUT_SIZE / stride;
    for (let cell = 0; cell < cellsPerSide * cellsPerSide; cell++, row++) {
      const base = row * YOLOX_ROW_LENGTH;
      const objectness = output[base + 4]!;
      if (!(objectness >= scoreMin)) continue;

      const best = bestClass(output, base);
      const score = objectness * best.score;
      if (!(score >= scoreMin)) continue;

      const centreX = (output[base]! + (cell % cellsPerSide)) * stride;
      const centreY = (output[base + 1]! + Math.floor(cell / cellsPerSide)) * stride;
      const boxWidth = Math.exp(output[base + 2]!) * stride;
      const boxHeight = Math.exp(output[base + 3]!) * stride;

      detections.push({
        label: cocoLabel(best.classId),
        classId: best.classId,
        score,
        box: clippedBox(
          centreX / scale / width,
          centreY / scale / height,
          boxWidth / scale / width,
          boxHeight / scale / height,
        ),
      });
    }
  }

  return detections;
}

function bestClass(output: Float32Array, base: number): { classId: number; score: number } {
  let classId = 0;
  let score = -Infinity;
  for (let c = 0; c < COCO_CLASS_COUNT; c++) {
    const value = output[base + 5 + c]!;
    if (value > score) {
      score = value;
      classId = c;
    }
  }
  return { classId, score: Math.max(0, score) };
}
