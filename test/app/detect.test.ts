import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { detect } from '../../src/app/detect.js';
import { loadConfig } from '../../src/config/load.js';
import { CheckFailed, InputError } from '../../src/errors.js';
import { SystemClock } from '../../src/time/clock.js';
import { memoryLogger } from '../support/logs.js';
import { MjpegServer, freePort } from '../support/camera-servers.js';
import { REPO_DIR, SHARED_DIR } from '../support/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'skychoir-detect-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const config = loadConfig({
  env: {},
  sets: [
    `vision.modelDir=${join(SHARED_DIR, 'models')}`,
    `vision.cloudClassifier=${join(REPO_DIR, 'models/clouds/cloud-classifier.onnx')}`,
    'camera.analysisFps=4',
    'camera.stallTimeoutS=5',
  ],
});
const photo = (name: string): string => join(SHARED_DIR, 'data/ccsn', `${name}.jpg`);

function run(input: string, extra: { frames?: number; waitS?: number; annotatedPath?: string | null } = {}) {
  const { log, lines } = memoryLogger('debug');
  const result = detect({
    input, config, log,
    clock: new SystemClock(),
    frames: extra.frames ?? 1,
    waitS: extra.waitS ?? 20,
    annotatedPath: extra.annotatedPath === undefined ? join(dir, 'annotated.png') : extra.annotatedPath,
  });
  return { result, lines };
}

test('a still with a bird: one frame with the bird and the cloud types, its events, and an annotated picture', async () => {
  const { result } = run(photo('Ac/Ac-N214'));
  const { frames, events, annotatedPath } = await result;

  assert.equal(frames.length, 1);
  const [frame] = frames;
  assert.equal(frame!.outcome, 'seen');
  assert.equal(frame!.birds.length, 1);
  const bird = frame!.birds[0]!.box;
  assert.ok(Math.abs(bird.x + bird.width / 2 - 0.21) < 0.03 && Math.abs(bird.y + bird.height / 2 - 0.16) < 0.03);
  const types = frame!.cloudTypes!;
  assert.ok(Math.abs(Object.values(types).reduce((sum, p) => sum + p, 0) - 1) < 1e-3, 'probabilities sum to 1');

  assert.deepEqual(events.map((event) => event.name), ['camera.status.changed', 'sky.observed', 'bird.seen']);

  const picture = await sharp(readFileSync(annotatedPath!)).metadata();
  assert.equal(picture.format, 'png');
  assert.ok(picture.width! >= 640, 'a 224 px photograph is enlarged so the labels fit');
});

test('the weathervane is not a bird', async () => {
  const { frames } = await run(photo('Cb/Cb-N106'), { annotatedPath: null }).result;
  assert.equal(frames[0]!.birds.length, 0);
});

test('a camera URL with a password: frames come, and the password is in no event, result or log line', async () => {
  const jpegs = ['Cu/Cu-N001', 'Ci/Ci-N002', 'Sc/Sc-N004'].map((name) => readFileSync(photo(name)));
  const server = new MjpegServer(jpegs, 4);
  const port = await server.listen();
  try {
    const { result, lines } = run(`http://sky:hunter2-secret@127.0.0.1:${port}/video.mjpg`, { frames: 3 });
    const detected = await result;

    assert.equal(detected.frames.length, 3);
    assert.ok(detected.frames.every((frame) => frame.outcome === 'seen'));
    assert.ok(detected.events.some((event) => event.name === 'camera.status.changed' && event.payload.status === 'online'));
    const everything = JSON.stringify(detected) + JSON.stringify(lines);
    assert.ok(!everything.includes('hunter2-secret'), 'the password never shows');
    assert.ok(detected.input.includes('127.0.0.1'));
  } finally {
    await server.close();
  }
});

test('a camera that never answers is reported as offline after the wait, naming it without its password', async () => {
  const port = await freePort();
  const { result } = run(`rtsp://sky:hunter2-secret@127.0.0.1:${port}/live`, { waitS: 3, annotatedPath: null });
  await assert.rejects(result, (error: Error) => {
    assert.ok(error instanceof CheckFailed, String(error));
    assert.match(error.message, /no frame from rtsp:\/\/sky:\*+@127\.0\.0\.1:\d+\/live within 3 s; the camera is offline/);
    assert.ok(!error.message.includes('hunter2'));
    return true;
  });
});

test('a still that cannot be read is an input error naming it', async () => {
  await assert.rejects(run(join(dir, 'missing.jpg')).result, (error: Error) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, /missing\.jpg.*ENOENT/);
    return true;
  });
});

test('a corrupt still is reported as such, and nothing is drawn', async () => {
  const broken = join(dir, 'broken.jpg');
  await sharp(photo('Cu/Cu-N001')).jpeg().toFile(broken);
  const bytes = readFileSync(broken);
  writeFileSync(broken, bytes.subarray(0, bytes.length / 3));

  const { frames, events, annotatedPath } = await run(broken).result;
  assert.equal(frames[0]!.outcome, 'corrupt');
  assert.deepEqual(events.map((event) => event.name), ['frame.rejected']);
  assert.equal(annotatedPath, null);
});
