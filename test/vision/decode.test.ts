import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FASTESTDET_CHANNELS,
  FASTESTDET_GRID_SIZE,
  FASTESTDET_INPUT_SIZE,
  decodeFastestDet,
  preprocessFastestDet,
} from '../../src/vision/fastestdet.js';
import { COCO_CLASS, COCO_LABELS, cocoLabel } from '../../src/vision/labels.js';
import {
  YOLOX_INPUT_SIZE,
  YOLOX_PAD_VALUE,
  YOLOX_ROWS,
  YOLOX_ROW_LENGTH,
  decodeYolox,
  preprocessYolox,
} from '../../src/vision/yolox.js';
import { paint, solidFrame } from './support.js';

const near = (actual: number, expected: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) < 1e-6, `${what}: ${actual} is not ${expected}`);

const logit = (p: number): number => Math.log(p / (1 - p));

test('the COCO list has 80 names with bird, kite and aeroplane where the models put them', () => {
  assert.equal(COCO_LABELS.length, 80);
  assert.equal(cocoLabel(COCO_CLASS.bird), 'bird');
  assert.equal(cocoLabel(COCO_CLASS.kite), 'kite');
  assert.equal(cocoLabel(COCO_CLASS.aeroplane), 'aeroplane');
  assert.equal(cocoLabel(79), 'toothbrush');
  assert.equal(cocoLabel(80), 'class 80');
});

/** A FastestDet output with one object in cell (gridX, gridY). */
function fastestDetOutput(gridX: number, gridY: number, classId: number): Float32Array {
  const cells = FASTESTDET_GRID_SIZE ** 2;
  const output = new Float32Array(FASTESTDET_CHANNELS * cells);
  const cell = gridY * FASTESTDET_GRID_SIZE + gridX;
  output[cell] = 0.9;
  output[cells + cell] = Math.atanh(0.5);
  output[2 * cells + cell] = 0;
  output[3 * cells + cell] = logit(0.1);
  output[4 * cells + cell] = logit(0.2);
  output[(5 + classId) * cells + cell] = 0.8;
  return output;
}

test('FastestDet decoding places a box from cell, tanh offsets and sigmoid sizes', () => {
  const [found, ...rest] = decodeFastestDet(fastestDetOutput(5, 7, COCO_CLASS.bird), 0.3);

  assert.equal(rest.length, 0);
  assert.ok(found);
  assert.equal(found.label, 'bird');
  assert.equal(found.classId, COCO_CLASS.bird);
  near(found.score, 0.9 ** 0.6 * 0.8 ** 0.4, 'score');
  near(found.box.x, (5 + 0.5) / 22 - 0.05, 'x');
  near(found.box.y, 7 / 22 - 0.1, 'y');
  near(found.box.width, 0.1, 'width');
  near(found.box.height, 0.2, 'height');
});

test('FastestDet decoding drops cells under the score floor', () => {
  assert.deepEqual(decodeFastestDet(fastestDetOutput(5, 7, COCO_CLASS.bird), 0.9), []);
});

test('FastestDet decoding clips a box that runs off the frame', () => {
  const [found] = decodeFastestDet(fastestDetOutput(0, 0, COCO_CLASS.kite), 0.3);

  assert.ok(found);
  assert.equal(found.box.y, 0);
  near(found.box.height, 0.1, 'height (half of 0.2 is above the frame)');
});

test('FastestDet decoding refuses an output of the wrong size', () => {
  const tooShort = new Float32Array(100);
  assert.throws(() => decodeFastestDet(tooShort, 0.3), /must hold 41140 values, got 100/);
});

test('FastestDet input is planar BGR scaled to 0..1 at 352x352', () => {
  const frame = solidFrame(2, 1, [255, 0, 0]);
  paint(frame, { left: 1, top: 0, right: 2, bottom: 1 }, [0, 0, 255]);
  const plane = FASTESTDET_INPUT_SIZE ** 2;

  const tensor = preprocessFastestDet(frame.rgb, frame.width, frame.height);

  assert.equal(tensor.length, 3 * plane);
  const lastColumn = FASTESTDET_INPUT_SIZE - 1;
  assert.deepEqual([tensor[0], tensor[plane], tensor[2 * plane]], [0, 0, 1], 'red at left');
  assert.deepEqual(
    [tensor[lastColumn], tensor[plane + lastColumn], tensor[2 * plane + lastColumn]],
    [1, 0, 0],
    'blue at right',
  );
});

test('preprocessing refuses pixels that do not match the stated size', () => {
  assert.throws(() => preprocessFastestDet(new Uint8Array(10), 2, 2), /needs 12 RGB bytes, got 10/);
  assert.throws(() => preprocessYolox(new Uint8Array(0), 0, 0), /positive integers/);
});

/** A YOLOX output with one object in cell (gridX, gridY) of the stride-16 grid. */
function yoloxOutput(gridX: number, gridY: number, classId: number): Float32Array {
  const output = new Float32Array(YOLOX_ROWS * YOLOX_ROW_LENGTH);
  const row = 52 * 52 + gridY * 26 + gridX;
  output.set([0.5, 0.5, Math.log(2), Math.log(1), 0.9], row * YOLOX_ROW_LENGTH);
  output[row * YOLOX_ROW_LENGTH + 5 + classId] = 0.7;
  return output;
}

test('YOLOX decoding maps a cell of the stride-16 grid back through the letterbox', () => {
  // An 832x416 frame is letterboxed at half scale into the top of the 416 square.
  const [found, ...rest] = decodeYolox(yoloxOutput(3, 4, COCO_CLASS.kite), 832, 416, 0.3);

  assert.equal(rest.length, 0);
  assert.ok(found);
  assert.equal(found.label, 'kite');
  near(found.score, 0.9 * 0.7, 'score');
  // Centre (3.5, 4.5) cells * 16 px = (56, 72) tensor px = (112, 144) frame px.
  // Size (2, 1) strides = (32, 16) tensor px = (64, 32) frame px.
  near(found.box.x, (112 - 32) / 832, 'x');
  near(found.box.y, (144 - 16) / 416, 'y');
  near(found.box.width, 64 / 832, 'width');
  near(found.box.height, 32 / 416, 'height');
});

test('YOLOX decoding drops rows under the score floor and refuses a wrong-sized output', () => {
  assert.deepEqual(decodeYolox(yoloxOutput(3, 4, COCO_CLASS.kite), 832, 416, 0.7), []);
  assert.throws(() => decodeYolox(new Float32Array(85), 10, 10, 0.3), /must hold 301665/);
});

test('YOLOX input keeps the aspect, sits at the top left, pads with 114, BGR 0..255', () => {
  const frame = solidFrame(832, 416, [10, 20, 30]);
  const plane = YOLOX_INPUT_SIZE ** 2;

  const tensor = preprocessYolox(frame.rgb, frame.width, frame.height);

  assert.deepEqual([tensor[0], tensor[plane], tensor[2 * plane]], [30, 20, 10], 'frame, BGR');
  const belowFrame = 300 * YOLOX_INPUT_SIZE + 5;
  assert.deepEqual(
    [tensor[belowFrame], tensor[plane + belowFrame], tensor[2 * plane + belowFrame]],
    [YOLOX_PAD_VALUE, YOLOX_PAD_VALUE, YOLOX_PAD_VALUE],
    'padding below the half-height frame',
  );
});
