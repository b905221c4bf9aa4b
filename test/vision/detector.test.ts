import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '../../src/log.js';
import { memoryLogger } from '../support/logs.js';
import { Detector, DetectorError } from '../../src/vision/detector.js';
import { BIRD_LIKE_CLASS_IDS } from '../../src/vision/birds.js';
import { FASTESTDET_PATH, YOLOX_PATH, ccsnFrame, ccsnPath } from './support.js';

const log = silentLogger();
const fastestDet = await Detector.open({ modelPath: FASTESTDET_PATH, kind: 'fastestdet', log });
after(() => fastestDet.close());

/** Where the bird of Ac-N214 is, as fractions of the frame (measured by eye and by both models). */
const AC_N214_BIRD = { x: 0.2, y: 0.155 };

function nearBird(box: { x: number; y: number; width: number; height: number }): boolean {
  const centreX = box.x + box.width / 2;
  const centreY = box.y + box.height / 2;
  return Math.abs(centreX - AC_N214_BIRD.x) < 0.03 && Math.abs(centreY - AC_N214_BIRD.y) < 0.03;
}

test('FastestDet in its worker finds the bird of Ac-N214 as a small bird-like object', async () => {
  const frame = await ccsnFrame('Ac/Ac-N214');

  const detections = await fastestDet.detect(frame.rgb, frame.width, frame.height);

  const bird = detections.find((d) => nearBird(d.box));
  assert.ok(bird, `no detection near the bird in ${JSON.stringify(detections)}`);
  assert.ok(BIRD_LIKE_CLASS_IDS.has(bird.classId), bird.label);
  assert.ok(bird.score > 0.5);
  assert.ok(bird.box.width < 0.1 && bird.box.height < 0.1);
  assert.deepEqual(
    detections.map((d) => d.score),
    [...detections.map((d) => d.score)].sort((a, b) => b - a),
    'best first',
  );
});

test('YOLOX-Nano behind the same interface finds the same bird', async () => {
  const yolox = await Detector.open({ modelPath: YOLOX_PATH, kind: 'yolox-nano', log });
  try {
    const frame = await ccsnFrame('Ac/Ac-N214');

    const detections = await yolox.detect(frame.rgb, frame.width, frame.height);

    const bird = detections.find((d) => nearBird(d.box));
    assert.ok(bird, `no detection near the bird in ${JSON.stringify(detections)}`);
    assert.equal(bird.label, 'aeroplane');
  } finally {
    await yolox.close();
  }
});

test('the event loop keeps turning while the worker runs a batch of inferences', async () => {
  const frame = await ccsnFrame('St/St-N001');
  const inferences = 16;
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 1);

  try {
    await Promise.all(
      Array.from({ length: inferences }, () =>
        fastestDet.detect(frame.rgb, frame.width, frame.height),
      ),
    );
  } finally {
    clearInterval(ticker);
  }

  // Were inference on this thread, all calls issued at once would run back to back and
  // no timer could fire until the batch ended. Each inference takes several ms here.
  assert.ok(ticks >= inferences, `${ticks} ticks during ${inferences} inferences`);
});

test('a failed inference rejects that call only, and the worker serves the next', async () => {
  const frame = await ccsnFrame('Ac/Ac-N214');

  await assert.rejects(
    fastestDet.detect(frame.rgb, 10, 10),
    (error: unknown) =>
      error instanceof DetectorError && /needs 300 RGB bytes, got 150528/.test(error.message),
  );

  const detections = await fastestDet.detect(frame.rgb, frame.width, frame.height);
  assert.ok(detections.some((d) => nearBird(d.box)));
});

test('a crashed worker fails the call in flight and starts again on the next call', async () => {
  const frame = await ccsnFrame('Ac/Ac-N214');

  fastestDet.crashWorkerForTest();
  await assert.rejects(fastestDet.detect(frame.rgb, frame.width, frame.height), /worker crashed/);

  const detections = await fastestDet.detect(frame.rgb, frame.width, frame.height);
  assert.ok(detections.some((d) => nearBird(d.box)));
});

test('a file that is not a model makes open reject with an error naming it', async () => {
  const notAModel = ccsnPath('St/St-N001');

  await assert.rejects(
    Detector.open({ modelPath: notAModel, kind: 'fastestdet', log }),
    (error: unknown) =>
      error instanceof DetectorError &&
      error.message.startsWith(`model ${notAModel} failed to load`),
  );
});

test('a closed detector refuses further calls', async () => {
  const detector = await Detector.open({ modelPath: FASTESTDET_PATH, kind: 'fastestdet', log });
  await detector.close();

  await assert.rejects(detector.detect(new Uint8Array(3), 1, 1), /detector is closed/);
});

test('closing while the worker restarts stops it and fails the waiting call', async () => {
  const detector = await Detector.open({ modelPath: FASTESTDET_PATH, kind: 'fastestdet', log });
  const frame = await ccsnFrame('St/St-N001');
  detector.crashWorkerForTest();
  await assert.rejects(detector.detect(frame.rgb, frame.width, frame.height), /worker crashed/);

  const waiting = detector.detect(frame.rgb, frame.width, frame.height);
  await detector.close();

  // A worker left running would also keep this test file from exiting.
  await assert.rejects(waiting, /detector closed while starting/);
});

test('closing during inference lets the worker finish and exit on its own; the calls in flight reject', async () => {
  const { log: captured, lines } = memoryLogger('warn');
  const detector = await Detector.open({ modelPath: YOLOX_PATH, kind: 'yolox-nano', log: captured });
  const frame = await ccsnFrame('Ac/Ac-N214');

  // Six calls queue up in the worker; a fast machine may answer the first before the close.
  let answeredBeforeClose = 0;
  let closing = false;
  const inFlight = Array.from({ length: 6 }, () =>
    detector.detect(frame.rgb, frame.width, frame.height).then((detections) => {
      if (!closing) answeredBeforeClose++;
      return detections;
    }),
  );
  const settled = Promise.allSettled(inFlight);
  await new Promise((resolve) => setTimeout(resolve, 20));
  closing = true;
  await detector.close();

  const outcomes = await settled;
  const rejected = outcomes.filter((outcome) => outcome.status === 'rejected');
  assert.ok(rejected.length >= 4, `${rejected.length} of 6 calls rejected`);
  assert.equal(rejected.length + answeredBeforeClose, 6, 'every call still in flight at the close rejects');
  assert.deepEqual(lines.map((line) => line.msg), [], 'the worker stopped without being terminated');
});
