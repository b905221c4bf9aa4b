import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { EventBus } from '../../src/bus/bus.js';
import type { SkyEvents } from '../../src/bus/events.js';
import { silentLogger } from '../../src/log.js';
import { CameraStatusReporter } from '../../src/vision/camera-status.js';
import { measureSky } from '../../src/vision/cloud-cover.js';
import { decodeFrame } from '../../src/vision/frame-decode.js';
import { PictureHealth, type PictureSample, type PictureState } from '../../src/vision/picture-health.js';
import { ccsnPath } from './support.js';

const SKIES = ['Cu/Cu-N001', 'Ci/Ci-N002', 'St/St-N003', 'Sc/Sc-N004', 'Ac/Ac-N005', 'As/As-N006', 'Cs/Cs-N007', 'Ns/Ns-N008'];
const NIGHT_SUN_DEG = -20;
const DAY_SUN_DEG = 35;

/** A CCSN photograph as the analyser sees it, optionally darkened to `brightness` of itself. */
async function sample(name: string, sunElevationDeg: number | null, brightness = 1): Promise<PictureSample> {
  const jpeg = await sharp(readFileSync(ccsnPath(name))).modulate({ brightness }).jpeg().toBuffer();
  const { thumbnail } = await decodeFrame(name, jpeg);
  return { thumbnail, skyFraction: measureSky(thumbnail).skyFraction, sunElevationDeg };
}

async function statesOf(samples: PictureSample[]): Promise<PictureState[]> {
  const health = new PictureHealth();
  return samples.map((each) => health.observe(each));
}

test('a changing real sky in daylight stays clear', async () => {
  const samples = await Promise.all(SKIES.map((name) => sample(name, DAY_SUN_DEG)));
  assert.deepEqual(await statesOf(samples), SKIES.map(() => 'clear'));
});

test('dark pictures are night after three frames with the sun down, obstructed with it up', async () => {
  const dark = await Promise.all(SKIES.slice(0, 4).map((name) => sample(name, NIGHT_SUN_DEG, 0.04)));
  assert.deepEqual(await statesOf(dark), ['clear', 'clear', 'night', 'night']);

  const covered = dark.map((each) => ({ ...each, sunElevationDeg: DAY_SUN_DEG }));
  assert.deepEqual(await statesOf(covered), ['clear', 'clear', 'obstructed', 'obstructed']);

  const unknownPlace = dark.map((each) => ({ ...each, sunElevationDeg: null }));
  assert.equal((await statesOf(unknownPlace)).at(-1), 'night');
});

test('one dark frame among sky frames changes nothing', async () => {
  const skies = await Promise.all(SKIES.slice(0, 5).map((name) => sample(name, DAY_SUN_DEG)));
  const flash = await sample('Cu/Cu-N009', DAY_SUN_DEG, 0.03);
  const states = await statesOf([skies[0]!, skies[1]!, flash, skies[2]!, skies[3]!]);
  assert.deepEqual(states, ['clear', 'clear', 'clear', 'clear', 'clear']);
});

test('the same picture six times is frozen, and three new pictures make it clear again', async () => {
  const still = await sample('Cu/Cu-N001', DAY_SUN_DEG);
  const moving = await Promise.all(SKIES.slice(1, 4).map((name) => sample(name, DAY_SUN_DEG)));
  const states = await statesOf([...Array.from({ length: 6 }, () => still), ...moving]);
  assert.deepEqual(states, ['clear', 'clear', 'clear', 'clear', 'clear', 'frozen', 'frozen', 'frozen', 'clear']);
});

test('the camera status tells link and picture apart, once per change; a late frame does not revive a stalled link', async () => {
  const bus = new EventBus(silentLogger());
  const told: Array<SkyEvents['camera.status.changed']> = [];
  bus.on('camera.status.changed', 'test', (event) => void told.push(event));
  const reporter = new CameraStatusReporter({ bus, camera: 'rtsp://cam:***@roof/sky', log: silentLogger() });

  await reporter.linkChanged(1, 'offline', 'connection refused');
  await reporter.linkChanged(2, 'offline', 'connection refused');
  await reporter.linkChanged(3, 'online', 'frames arriving');
  await reporter.pictureSeen(4, 'clear');
  await reporter.pictureSeen(5, 'night');
  await reporter.linkChanged(6, 'stalled', 'no frame for 10 s');
  await reporter.pictureSeen(6.5, 'clear');
  await reporter.linkChanged(7, 'online', 'frames arriving');

  const statuses = told.map(({ at, status, previous }) => [at, status, previous]);
  assert.deepEqual(statuses, [
    [1, 'offline', null],
    [3, 'online', 'offline'],
    [5, 'night', 'online'],
    [6, 'stalled', 'night'],
    [7, 'online', 'stalled'],
  ]);
  assert.equal(told[0]!.reason, 'connection refused');
  assert.ok(told.every((event) => event.camera === 'rtsp://cam:***@roof/sky'));

  const recorded = new CameraStatusReporter({ bus, camera: 'recorded day', log: silentLogger() });
  await recorded.pictureSeen(8, 'clear');
  assert.equal(recorded.status, 'online', 'without link reports, a frame means the link is up');
});
