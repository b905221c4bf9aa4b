import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Detection } from '../../src/bus/events.js';
import { intersectionOverUnion, nonMaxSuppression } from '../../src/vision/nms.js';

function detection(classId: number, score: number, x: number, y: number, side = 0.2): Detection {
  return { label: `class ${classId}`, classId, score, box: { x, y, width: side, height: side } };
}

test('IoU is 1 for identical boxes, 0 for disjoint ones, and the overlap ratio otherwise', () => {
  const box = { x: 0.1, y: 0.1, width: 0.2, height: 0.2 };
  assert.ok(Math.abs(intersectionOverUnion(box, box) - 1) < 1e-9);
  assert.equal(intersectionOverUnion(box, { x: 0.5, y: 0.5, width: 0.1, height: 0.1 }), 0);

  // Half of one box overlaps half of the other: 0.02 / (0.04 + 0.04 - 0.02).
  const shifted = { x: 0.2, y: 0.1, width: 0.2, height: 0.2 };
  assert.ok(Math.abs(intersectionOverUnion(box, shifted) - 1 / 3) < 1e-9);
});

test('IoU of a box without area is 0 rather than NaN', () => {
  const empty = { x: 0.1, y: 0.1, width: 0, height: 0 };
  assert.equal(intersectionOverUnion(empty, empty), 0);
});

test('suppression keeps the best of overlapping boxes and all separate ones, best first', () => {
  const kept = nonMaxSuppression(
    [
      detection(14, 0.5, 0.1, 0.1),
      detection(14, 0.9, 0.12, 0.1),
      detection(14, 0.7, 0.6, 0.6),
    ],
    { iouMax: 0.45, classAgnostic: false },
  );

  assert.deepEqual(
    kept.map((d) => d.score),
    [0.9, 0.7],
  );
});

test('class-agnostic suppression also drops an overlapping box of another class', () => {
  const input = [detection(14, 0.6, 0.1, 0.1), detection(33, 0.8, 0.11, 0.1)];

  const agnostic = nonMaxSuppression(input, { iouMax: 0.45, classAgnostic: true });
  const perClass = nonMaxSuppression(input, { iouMax: 0.45, classAgnostic: false });

  assert.deepEqual(
    agnostic.map((d) => d.classId),
    [33],
  );
  assert.equal(perClass.length, 2);
});

test('suppression leaves its input untouched', () => {
  const input = [detection(14, 0.2, 0.1, 0.1), detection(14, 0.9, 0.1, 0.1)];
  nonMaxSuppression(input, { iouMax: 0.45, classAgnostic: true });
  assert.deepEqual(
    input.map((d) => d.score),
    [0.2, 0.9],
  );
});
