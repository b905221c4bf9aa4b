import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MotionDetector, type MotionResult } from '../../src/vision/motion.js';
import { motionCrops } from '../../src/vision/motion-regions.js';
import type { RgbFrame } from '../../src/vision/rgb-frame.js';
import { addNoise, copyFrame, infraredLook, scaleBrightness } from '../../tools/sky-scene.js';
import { ccsnFrame, paint } from './support.js';

const SKY = await ccsnFrame('Cs/Cs-N239');
const DARK: [number, number, number] = [40, 40, 50];
const SECOND = 1_000;

/** The sky with an 8x5 px dark blob whose top-left corner is at (`left`, `top`). */
function skyWithBlob(left: number, top: number, sky: RgbFrame = SKY): RgbFrame {
  const frame = copyFrame(sky);
  paint(frame, { left, top, right: left + 8, bottom: top + 5 }, DARK);
  return frame;
}

function observeAll(detector: MotionDetector, frames: RgbFrame[]): MotionResult[] {
  return frames.map((frame, index) => detector.observe(frame, index * SECOND));
}

function regionsOf(result: MotionResult) {
  assert.equal(result.kind, 'motion', JSON.stringify(result));
  return result.kind === 'motion' ? result.regions : [];
}

test('a dark blob moving across a real sky is found where it is now, not where it was', () => {
  const frames = [0, 1, 2, 3].map((step) => skyWithBlob(40 + 14 * step, 100 - 6 * step));

  const results = observeAll(new MotionDetector(), frames);

  assert.equal(results[0]!.kind, 'no-reference');
  for (const [step, result] of results.entries()) {
    if (step < 2) continue;
    const regions = regionsOf(result);
    assert.equal(regions.length, 1, JSON.stringify(regions));
    const { box } = regions[0]!;
    const [left, top] = [40 + 14 * step, 100 - 6 * step];
    assert.ok(Math.abs(box.x * 224 - left) <= 2, `x ${box.x * 224} vs ${left}`);
    assert.ok(Math.abs(box.y * 224 - top) <= 2, `y ${box.y * 224} vs ${top}`);
    assert.ok(Math.abs(box.width * 224 - 8) <= 3 && Math.abs(box.height * 224 - 5) <= 3, JSON.stringify(box));
  }
});

test('with only one earlier frame the blob is found, and its old place shows as a ghost', () => {
  const results = observeAll(new MotionDetector(), [skyWithBlob(40, 100), skyWithBlob(60, 100)]);

  const lefts = regionsOf(results[1]!).map((region) => Math.round(region.box.x * 224));
  assert.equal(lefts.length, 2);
  assert.ok(lefts.some((left) => Math.abs(left - 60) <= 2) && lefts.some((left) => Math.abs(left - 40) <= 2));
});

test('the threshold adapts to light: the same blob in a sky at a third of the light is found', () => {
  const dimSky = copyFrame(SKY);
  scaleBrightness(dimSky, 0.33);
  const dimDark: [number, number, number] = [45, 50, 60];
  const frames = [0, 1, 2].map((step) => {
    const frame = copyFrame(dimSky);
    paint(frame, { left: 100 + 12 * step, top: 60, right: 108 + 12 * step, bottom: 65 }, dimDark);
    return frame;
  });

  const results = observeAll(new MotionDetector(), frames);

  const regions = regionsOf(results[2]!);
  assert.equal(regions.length, 1);
  assert.ok(Math.abs(regions[0]!.box.x * 224 - 124) <= 2);
  const threshold = results[2]!.kind === 'motion' ? results[2]!.thresholdLevel : NaN;
  const brightThreshold = observeAll(new MotionDetector(), [SKY, SKY, SKY])[2]!;
  assert.ok(brightThreshold.kind === 'motion' && threshold < brightThreshold.thresholdLevel);
});

test('a global brightness step to 0.6 is a light change, with no regions, then quiet again', () => {
  const dim = copyFrame(SKY);
  scaleBrightness(dim, 0.6);

  const results = observeAll(new MotionDetector(), [SKY, SKY, SKY, dim, dim]);

  assert.deepEqual(regionsOf(results[2]!), []);
  assert.equal(results[3]!.kind, 'light-change');
  assert.equal(results[3]!.kind === 'light-change' && results[3]!.reason, 'brightness');
  assert.deepEqual(regionsOf(results[4]!), []);
});

test('a small exposure flicker (8%) is compensated and is not motion', () => {
  const brighter = copyFrame(SKY);
  scaleBrightness(brighter, 1.08);

  const results = observeAll(new MotionDetector(), [SKY, SKY, brighter, SKY, brighter]);

  for (const result of results.slice(1)) assert.deepEqual(regionsOf(result), []);
});

test('sensor noise alone gives no regions', () => {
  const frames = Array.from({ length: 8 }, (_, index) => {
    const frame = copyFrame(SKY);
    addNoise(frame, 5, index + 1);
    return frame;
  });

  const results = observeAll(new MotionDetector(), frames);

  for (const result of results.slice(1)) assert.deepEqual(regionsOf(result), []);
});

test('a blob in a noisy sky is still found', () => {
  const frames = [0, 1, 2, 3].map((step) => {
    const frame = skyWithBlob(30 + 15 * step, 150);
    addNoise(frame, 5, 100 + step);
    return frame;
  });

  const regions = regionsOf(observeAll(new MotionDetector(), frames)[3]!);

  assert.equal(regions.length, 1);
  assert.ok(Math.abs(regions[0]!.box.x * 224 - 75) <= 2);
});

test('a switch to an infrared-like grey picture is a light change, with no regions', () => {
  const infrared = copyFrame(SKY);
  infraredLook(infrared);

  const results = observeAll(new MotionDetector(), [SKY, SKY, SKY, infrared, infrared]);

  const switched = results[3]!;
  assert.equal(switched.kind === 'light-change' && switched.reason, 'widespread', JSON.stringify(switched));
  assert.deepEqual(regionsOf(results[4]!), []);
});

test('frames further apart than maxGapMs are not compared', () => {
  const detector = new MotionDetector({ maxGapMs: 5_000 });

  detector.observe(skyWithBlob(40, 100), 0);
  const result = detector.observe(skyWithBlob(80, 100), 60_000);

  assert.equal(result.kind, 'no-reference');
});

test('motion crops are squares inside the frame around each region, shared when one holds another', () => {
  const regions = [
    { box: { x: 0.95, y: 0.02, width: 0.04, height: 0.03 }, changedPixels: 20 },
    { box: { x: 0.4, y: 0.5, width: 0.02, height: 0.02 }, changedPixels: 9 },
    { box: { x: 0.42, y: 0.52, width: 0.01, height: 0.01 }, changedPixels: 4 },
  ];

  const crops = motionCrops(SKY, regions, { minSideFraction: 0.25, minSidePx: 32 });

  assert.equal(crops.length, 2);
  for (const crop of crops) {
    assert.equal(crop.right - crop.left, crop.bottom - crop.top);
    assert.equal(crop.right - crop.left, 56);
    assert.ok(crop.left >= 0 && crop.top >= 0 && crop.right <= 224 && crop.bottom <= 224);
  }
  assert.deepEqual([crops[0]!.right, crops[0]!.top], [224, 0]);
});

test('a tiny region gets a crop of at least minSidePx, so that the detector enlarges it less', () => {
  const regions = [{ box: { x: 0.5, y: 0.5, width: 0.01, height: 0.01 }, changedPixels: 3 }];

  const [crop] = motionCrops(SKY, regions, { minSideFraction: 0.05, minSidePx: 64, regionMultiple: 5 });

  assert.equal(crop!.right - crop!.left, 64);
});
