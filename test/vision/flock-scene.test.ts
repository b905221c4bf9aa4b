/**
 * The "done when": a flock made of real bird crops, flying across a real sky
 * photograph, gives one flock.started, some flock.updated and one flock.ended through the
 * real chain (motion, crops, FastestDet, tracker). The sky is CCSN Cs-N239 enlarged three
 * times (672 px, a camera's frame) and the birds keep their size in the photographs they
 * come from (about 10 px): distant birds, which the whole-frame look misses.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Detection } from '../../src/bus/events.js';
import { silentLogger } from '../../src/log.js';
import { Detector } from '../../src/vision/detector.js';
import { MotionDetector } from '../../src/vision/motion.js';
import { findBirdsInCrops } from '../../src/vision/motion-birds.js';
import { motionCrops } from '../../src/vision/motion-regions.js';
import type { RgbFrame } from '../../src/vision/rgb-frame.js';
import { BirdTracker, type TrackerEvent } from '../../src/vision/tracker.js';
import { REPO_DIR } from '../support/paths.js';
import { addNoise, copyFrame, cutBird, pasteBird } from '../../tools/sky-scene.js';
import { FASTESTDET_PATH, ccsnPath, paint } from './support.js';

const SCALE = 3;
const SECOND = 1_000;
const START = Date.UTC(2025, 8, 14, 17, 30, 0);
/** The flock flies right and a little up: pixels of the 672 px frame per second. */
const VELOCITY = { x: 14 * SCALE, y: -4 * SCALE };
/** Each bird's place in the formation (pixels from the leader) and which sprite it is. */
const FORMATION = [
  [0, 0, 0],
  [-20, 12, 1],
  [-34, -10, 2],
  [18, 16, 0],
  [-10, -24, 1],
] as const;
const FLOCK_FRAMES = 8;

const detector = await Detector.open({ modelPath: FASTESTDET_PATH, kind: 'fastestdet', log: silentLogger() });
after(() => detector.close());

async function enlargedSky(photo: string): Promise<RgbFrame> {
  const { data, info } = await sharp(ccsnPath(photo))
    .resize(224 * SCALE, 224 * SCALE)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { rgb: new Uint8Array(data), width: info.width, height: info.height };
}

/** Two frames of empty sky, eight with the flock crossing, six empty again; 1 s apart. */
async function makeScene(): Promise<RgbFrame[]> {
  const sky = await enlargedSky('Cs/Cs-N239');
  const sprites = [
    await cutBird('Ac/Ac-N214', 0.2, 0.155),
    await cutBird('Cs/Cs-N248', 0.135, 0.625),
    await cutBird('Ci/Ci-N041', 0.115, 0.15),
  ];

  return Array.from({ length: 2 + FLOCK_FRAMES + 6 }, (_, index) => {
    const frame = copyFrame(sky);
    const step = index - 2;
    if (step >= 0 && step < FLOCK_FRAMES) {
      const leader = { x: 150 + VELOCITY.x * step, y: 360 + VELOCITY.y * step };
      for (const [dx, dy, sprite] of FORMATION) pasteBird(frame, sprites[sprite]!, leader.x + dx, leader.y + dy);
    }
    addNoise(frame, 2, index + 1);
    return frame;
  });
}

async function writePicture(frame: RgbFrame, birds: readonly Detection[]): Promise<void> {
  const picture = copyFrame(frame);
  for (const { box } of birds) {
    const [left, top] = [Math.round(box.x * frame.width) - 2, Math.round(box.y * frame.height) - 2];
    const [right, bottom] = [left + Math.round(box.width * frame.width) + 4, top + Math.round(box.height * frame.height) + 4];
    for (const edge of [
      { left, top, right, bottom: top + 1 },
      { left, top: bottom - 1, right, bottom },
      { left, top, right: left + 1, bottom },
      { left: right - 1, top, right, bottom },
    ]) paint(picture, edge, [255, 40, 40]);
  }

  const folder = join(REPO_DIR, 'test-artifacts');
  await mkdir(folder, { recursive: true });
  const raw = { width: picture.width, height: picture.height, channels: 3 as const };
  await sharp(Buffer.from(picture.rgb), { raw }).png().toFile(join(folder, 'flock-scene.png'));
}

test('a flock of real birds crossing a real sky starts once, updates, and ends once', async () => {
  const frames = await makeScene();
  const motion = new MotionDetector();
  const tracker = new BirdTracker();
  const events: TrackerEvent[] = [];
  const foundPerFrame: number[] = [];

  for (const [index, frame] of frames.entries()) {
    const at = START + index * SECOND;
    const moved = motion.observe(frame, at);
    const crops = moved.kind === 'motion' ? motionCrops(frame, moved.regions) : [];
    const birds = await findBirdsInCrops(frame, crops, detector, { scoreMin: 0.5 });
    foundPerFrame.push(birds.length);
    events.push(...tracker.observe({ at, frameId: `scene-${index}`, birds, aircraft: [] }));
    if (index === 1 + FLOCK_FRAMES) await writePicture(frame, birds);
  }

  const flockFound = foundPerFrame.slice(2, 2 + FLOCK_FRAMES);
  assert.ok(flockFound.every((count) => count >= 3 && count <= 5), `birds found per frame: ${foundPerFrame}`);
  assert.deepEqual([...foundPerFrame.slice(0, 2), ...foundPerFrame.slice(2 + FLOCK_FRAMES)], Array(8).fill(0));

  const names = events.map((event) => event.name);
  assert.equal(names.filter((name) => name === 'flock.started').length, 1, names.join());
  assert.equal(names.filter((name) => name === 'flock.ended').length, 1, names.join());
  assert.ok(names.filter((name) => name === 'flock.updated').length >= 1, names.join());
  assert.ok(!names.includes('bird.seen'), names.join());
  assert.equal(names[0], 'flock.started');
  assert.equal(names.at(-1), 'flock.ended');

  const started = events.find((event) => event.name === 'flock.started')!.payload as TrackerEvent['payload'] & { size: number };
  assert.ok(started.size >= 4, `started with ${started.size} birds`);

  const last = events.filter((event) => event.name === 'flock.updated').at(-1)!;
  assert.ok(last.name === 'flock.updated');
  const heading = (Math.atan2(VELOCITY.y, VELOCITY.x) * 180) / Math.PI + 360;
  assert.ok(Math.abs(last.payload.headingDeg! - heading) < 15, `heading ${last.payload.headingDeg} vs ${heading}`);
  const speed = Math.hypot(VELOCITY.x, VELOCITY.y) / (224 * SCALE);
  assert.ok(Math.abs(last.payload.speed! - speed) < 0.3 * speed, `speed ${last.payload.speed} vs ${speed}`);

  const ended = events.at(-1)!;
  assert.ok(ended.name === 'flock.ended');
  assert.equal(ended.payload.durationMs, (FLOCK_FRAMES - 1) * SECOND);
  assert.ok(ended.payload.peakSize >= 4 && ended.payload.peakSize <= 5);
});
