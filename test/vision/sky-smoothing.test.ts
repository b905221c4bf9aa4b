import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SkySmoother, type SkyView } from '../../src/vision/sky-smoothing.js';

const SECOND = 1000;

function view(at: number, coverFraction: number, cloudTypes: Record<string, number> | null = null): SkyView {
  return { at, coverFraction, brightness: coverFraction / 2, cloudTypes };
}

test('one odd frame in a steady sky does not move the smoothed cover', () => {
  const smoother = new SkySmoother({ windowMs: 10 * SECOND });
  const covers = [0.3, 0.32, 0.31, 0.95, 0.3, 0.33];
  const smoothed = covers.map((cover, index) => smoother.add(view(index * SECOND, cover)).coverFraction);
  assert.ok(smoothed.slice(3).every((cover) => cover < 0.34), `smoothed: ${smoothed.join(', ')}`);
});

test('a lasting change comes through once it fills half the window', () => {
  const smoother = new SkySmoother({ windowMs: 4 * SECOND });
  const covers = [0.2, 0.2, 0.2, 0.2, 0.9, 0.9, 0.9, 0.9];
  const smoothed = covers.map((cover, index) => smoother.add(view(index * SECOND, cover)).coverFraction);
  assert.deepEqual(smoothed, [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.9, 0.9]);
});

test('frames further apart than the window stand alone', () => {
  const smoother = new SkySmoother({ windowMs: 30 * SECOND });
  smoother.add(view(0, 0.1));
  assert.equal(smoother.add(view(5 * 60 * SECOND, 0.8)).coverFraction, 0.8);
});

test('cloud-type probabilities are averaged over the frames that have them and still sum to 1', () => {
  const smoother = new SkySmoother();
  smoother.add(view(0, 0.5, { cumuliform: 0.8, stratiform: 0.2 }));
  smoother.add(view(SECOND, 0.5, null));
  const { cloudTypes } = smoother.add(view(2 * SECOND, 0.5, { cumuliform: 0.4, stratiform: 0.6 }));
  assert.ok(cloudTypes);
  assert.ok(Math.abs(cloudTypes.cumuliform! - 0.6) < 1e-9);
  assert.ok(Math.abs(cloudTypes.cumuliform! + cloudTypes.stratiform! - 1) < 1e-9);
  assert.equal(new SkySmoother().add(view(0, 0.5)).cloudTypes, null);
});
