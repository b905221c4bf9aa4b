/**
 * FastestDet (dog-qiuqiu, BSD-3): tensor layout, preprocessing and output decoding.
 * Pure functions; the ONNX session lives in the detector worker.
 *
 * Input `input.1` float32 [1,3,352,352]: plain resize (aspect not kept), BGR, 0..1.
 * Output `758` float32 [1,85,22,22], one cell per 16 px, channel-major:
 * 0 objectness (sigmoid applied in the graph), 1-2 centre offsets (raw; tanh here),
 * 3-4 width and height (raw; sigmoid here, fraction of the image), 5-84 class scores
 * (softmax applied in the graph). Checked on the shared copy: class scores sum to 1.
 */
import type { Detection } from '../bus/events.js';
import { COCO_CLASS_COUNT, cocoLabel } from './labels.js';
import { assertRgbFrame, resizeIntoPlanarBgr } from './planar.js';

export const FASTESTDET_INPUT_NAME = 'input.1';
export const FASTESTDET_INPUT_SIZE = 352;
export const FASTESTDET_GRID_SIZE = 22;
export const FASTESTDET_CHANNELS = 5 + COCO_CLASS_COUNT;

/** Tensor data [1,3,352,352] for an RGB frame of any size. */
export function preprocessFastestDet(rgb: Uint8Array, width: number, height: number): Float32Array {
  assertRgbFrame(rgb, width, height);

  const size = FASTESTDET_INPUT_SIZE;
  const data = new Float32Array(3 * size * size);
  const target = { data, tensorWidth: size, tensorHeight: size };
  resizeIntoPlanarBgr(rgb, width, height, size, size, 1 / 255, target);

  return data;
}

/**
 * Decodes the raw output into detections scoring at least `scoreMin` (0..1), one per
 * cell at most (its best class), boxes as fractions of the frame, clipped to it.
 * No suppression: pass the result through NMS. Throws if `output` has the wrong length.
 */
export function decodeFastestDet(output: Float32Array, scoreMin: number): Detection[] {
  const grid = FASTESTDET_GRID_SIZE;
  const cells = grid * grid;
  if (output.length !== FASTESTDET_CHANNELS * cells) {
    throw new RangeError(
      `FastestDet output must hold ${FASTESTDET_CHANNELS * cells} values, got ${output.length}`,
    );
  }

  const detections: Detection[] = [];
  for (let cell = 0; cell < cells; cell++) {
    const objectness = output[cell]!;
    const best = bestClass(output, cell, cells);
    const score = Math.pow(objectness, 0.6) * Math.pow(best.score, 0.4);
    if (!(score >= scoreMin)) continue;

    const gridX = cell % grid;
    const gridY = Math.floor(cell / grid);
    const centreX = (gridX + Math.tanh(output[cells + cell]!)) / grid;
    const centreY = (gridY + Math.tanh(output[2 * cells + cell]!)) / grid;
    const boxWidth = sigmoid(output[3 * cells + cell]!);
    const boxHeight = sigmoid(output[4 * cells + cell]!);

    detections.push({
      label: cocoLabel(best.classId),
      classId: best.classId,
      score,
      box: clippedBox(centreX, centreY, boxWidth, boxHeight),
    });
  }

  return detections;
}

function bestClass(
  output: Float32Array,
  cell: number,
  cells: number,
): { classId: number; score: number } {
  let classId = 0;
  let score = -Infinity;
  for (let c = 0; c < COCO_CLASS_COUNT; c++) {
    const value = output[(5 + c) * cells + cell]!;
    if (value > score) {
      score = value;
      classId = c;
    }
  }
  return { classId, score: Math.max(0, score) };
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** A box from centre and size (fractions), clipped to the frame. */
export function clippedBox(
  centreX: number,
  centreY: number,
  width: number,
  height: number,
): Detection['box'] {
  const left = clamp01(centreX - width / 2);
  const top = clamp01(centreY - height / 2);
  const right = clamp01(centreX + width / 2);
  const bottom = clamp01(centreY + height / 2);
  return { x: left, y: top, width: right - left, height: bottom - top };
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}
