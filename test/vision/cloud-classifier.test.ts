import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/log.js';
import { CloudClassifier, CloudClassifierError, CloudInputError } from '../../src/vision/cloud-classifier.js';
import {
  CLOUD_MODEL_DIR,
  CLOUD_MODEL_PATH,
  cloudModelInfoPath,
  parseCloudModelInfo,
  CloudModelInfoError,
} from '../../src/vision/cloud-model-info.js';
import { cloudClassifierPixels, planarRgbTensor } from '../../src/vision/cloud-preprocess.js';
import { ccsnFrame, paint, solidFrame } from './support.js';

const log = silentLogger();
const classifier = await CloudClassifier.open({ modelPath: CLOUD_MODEL_PATH, log });
after(() => classifier.close());

interface HeldOut {
  name: string;
  groups: string[];
}

async function heldOutList(): Promise<HeldOut[]> {
  const text = await readFile(join(CLOUD_MODEL_DIR, 'heldout.txt'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [path, , groups] = line.split('\t');
      return { name: path!.replace(/\.jpg$/, ''), groups: groups!.split(',') };
    });
}

function best(probabilities: Record<string, number>): string {
  return Object.entries(probabilities).sort((a, b) => b[1] - a[1])[0]![0];
}

test('the classifier looks at the centred square only: the sides of a wide frame do not reach it', async () => {
  const frame = solidFrame(300, 200, [120, 130, 140]);
  paint(frame, { left: 0, top: 0, right: 50, bottom: 200 }, [255, 0, 0]);
  paint(frame, { left: 250, top: 0, right: 300, bottom: 200 }, [0, 0, 255]);

  const pixels = await cloudClassifierPixels(frame.rgb, frame.width, frame.height, 96);

  assert.equal(pixels.length, 96 * 96 * 3);
  for (let index = 0; index < pixels.length; index += 3) {
    assert.deepEqual([...pixels.subarray(index, index + 3)], [120, 130, 140], `pixel ${index / 3}`);
  }
});

test('the tensor is planar R, G, B with byte values unscaled', () => {
  const pixels = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);

  const tensor = planarRgbTensor(pixels, 2);

  assert.deepEqual([...tensor], [1, 4, 7, 10, 2, 5, 8, 11, 3, 6, 9, 12]);
});

test('the TypeScript path reproduces the training script\'s probabilities within 1e-3', async () => {
  const reference = JSON.parse(await readFile(join(CLOUD_MODEL_DIR, 'reference.json'), 'utf8')) as {
    photographs: { path: string; genus: number[]; group: number[] }[];
  };
  assert.ok(reference.photographs.length >= 3);

  for (const photograph of reference.photographs) {
    const frame = await ccsnFrame(photograph.path.replace(/\.jpg$/, ''));
    const result = await classifier.classifyDetailed(frame.rgb, frame.width, frame.height);

    const genus = Object.values(result.genera);
    const group = Object.values(result.groups);
    photograph.genus.forEach((expected, index) =>
      assert.ok(Math.abs(genus[index]! - expected) < 1e-3, `${photograph.path} genus ${index}: ${genus[index]} vs ${expected}`),
    );
    photograph.group.forEach((expected, index) =>
      assert.ok(Math.abs(group[index]! - expected) < 1e-3, `${photograph.path} group ${index}: ${group[index]} vs ${expected}`),
    );
  }
});

test('on the held-out photographs the accuracy is the card\'s, and well above always answering the largest group', async () => {
  const heldOut = await heldOutList();
  assert.equal(heldOut.length, classifier.info.heldout.photographs);

  let right = 0;
  for (const photograph of heldOut) {
    const frame = await ccsnFrame(photograph.name);
    const probabilities = await classifier.classify(frame.rgb, frame.width, frame.height);

    assert.deepEqual(Object.keys(probabilities), classifier.groups);
    const total = Object.values(probabilities).reduce((sum, p) => sum + p, 0);
    assert.ok(Math.abs(total - 1) < 1e-4, `${photograph.name}: probabilities sum to ${total}`);
    if (photograph.groups.includes(best(probabilities))) right++;
  }

  const accuracy = right / heldOut.length;
  const largestShare = Math.max(
    ...classifier.groups.map((group) => heldOut.filter((p) => p.groups[0] === group).length / heldOut.length),
  );
  assert.ok(Math.abs(accuracy - classifier.info.heldout.groupAccuracy) <= 0.01, `${accuracy} vs card ${classifier.info.heldout.groupAccuracy}`);
  assert.ok(accuracy > largestShare + 0.15, `${accuracy} against ${largestShare} for the largest group`);
});

test('a buffer of the wrong size or a frame of no size is refused with a clear error, and the next call works', async () => {
  const frame = await ccsnFrame('Cu/Cu-N001');

  await assert.rejects(
    classifier.classify(frame.rgb.subarray(1), frame.width, frame.height),
    (error: unknown) => error instanceof CloudInputError && /224x224 RGB frame needs 150528 bytes, got 150527/.test(error.message),
  );
  await assert.rejects(
    classifier.classify(new Uint8Array(0), 0, 0),
    (error: unknown) => error instanceof CloudInputError && /positive integers, got 0x0/.test(error.message),
  );
  await assert.rejects(
    classifier.classify('not pixels' as unknown as Uint8Array, 2, 2),
    (error: unknown) => error instanceof CloudInputError && /needs 12 bytes, got string/.test(error.message),
  );

  const probabilities = await classifier.classify(frame.rgb, frame.width, frame.height);
  assert.equal(Object.keys(probabilities).length, classifier.groups.length);
});

test('a corrupt model file or a missing description fails open() with an error naming the file', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'skychoir-clouds-'));
  try {
    const corrupt = join(folder, 'cloud-classifier.onnx');
    await writeFile(corrupt, 'this is not an ONNX model');
    await copyFile(cloudModelInfoPath(CLOUD_MODEL_PATH), cloudModelInfoPath(corrupt));
    await assert.rejects(
      CloudClassifier.open({ modelPath: corrupt, log }),
      (error: unknown) => error instanceof CloudClassifierError && error.message.includes(`${corrupt} failed to load`),
    );

    const undescribed = join(folder, 'other.onnx');
    await copyFile(CLOUD_MODEL_PATH, undescribed);
    await assert.rejects(
      CloudClassifier.open({ modelPath: undescribed, log }),
      (error: unknown) => error instanceof CloudClassifierError && error.message.includes(join(folder, 'other.json')),
    );
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});

test('a description with a group of unknown genera, or not JSON, is refused by name', async () => {
  const info = JSON.parse(await readFile(cloudModelInfoPath(CLOUD_MODEL_PATH), 'utf8'));
  info.groups.storm = ['Cb', 'Xx'];

  assert.throws(() => parseCloudModelInfo(JSON.stringify(info), 'bad.json'), (error: unknown) =>
    error instanceof CloudModelInfoError && /bad.json: group storm names unknown genus Xx/.test(error.message),
  );
  assert.throws(() => parseCloudModelInfo('{', 'torn.json'), (error: unknown) =>
    error instanceof CloudModelInfoError && /torn.json is not JSON/.test(error.message),
  );
});

test('close() while classifications are queued rejects them and lets the worker exit cleanly', async () => {
  const own = await CloudClassifier.open({ modelPath: CLOUD_MODEL_PATH, log });
  const frame = await ccsnFrame('Ns/Ns-N001');

  const calls = Array.from({ length: 8 }, () => own.classify(frame.rgb, frame.width, frame.height));
  const settled = Promise.allSettled(calls);
  await new Promise((resolve) => setImmediate(resolve));
  await own.close();

  for (const outcome of await settled) {
    if (outcome.status === 'rejected') assert.match(String(outcome.reason), /closed/);
  }
  await assert.rejects(own.classify(frame.rgb, frame.width, frame.height), /cloud classifier is closed/);
});
