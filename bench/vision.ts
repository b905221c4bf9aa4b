import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { EventBus } from '../src/bus/bus.js';
import { silentLogger } from '../src/log.js';
import { FrameAnalyser } from '../src/vision/analyser.js';
import { CloudClassifier } from '../src/vision/cloud-classifier.js';
import { Detector } from '../src/vision/detector.js';
import { MotionDetector } from '../src/vision/motion.js';
import { decodeFrame } from '../src/vision/frame-decode.js';
import type { DetectorKind } from '../src/vision/model-store.js';
import { timed } from './render.js';

export interface VisionFigures {
  detector: DetectorKind;
  /** Whether the whole analysis included the cloud classifier. */
  withClassifier: boolean;
  frames: number;
  inferenceMsPerFrame: number;
  analysisMsPerFrame: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** p99 event-loop delay over inference time: well under 1 means inference is off the loop. */
  loopDelayToInference: number;
}

/** Photographs used for the vision figures: a spread of genera, the same every run. */
export async function benchPhotos(sharedDir: string, count: number): Promise<Buffer[]> {
  const photos: Buffer[] = [];
  for (const genus of ['Ac', 'Ci', 'Cu', 'Ns', 'St', 'Sc']) {
    const dir = join(sharedDir, 'data/ccsn', genus);
    const files = (await readdir(dir)).sort().slice(0, Math.ceil(count / 6));
    for (const file of files) photos.push(await readFile(join(dir, file)));
  }
  return photos.slice(0, count);
}

/**
 * Detector time per frame (inference alone, on decoded frames) and the whole analysis per
 * frame (decode, sky measure, cloud types, detection, bird rule, then motion, picture
 * health, tracker and smoothing, frames one second apart), with the event loop's delay
 * sampled while the analysis runs.
 */
export async function benchVision(
  kind: DetectorKind,
  modelPath: string,
  photos: Buffer[],
  classifierPath: string | null,
): Promise<VisionFigures> {
  const log = silentLogger();
  const detector = await Detector.open({ modelPath, kind, log });
  const classifier = classifierPath ? await CloudClassifier.open({ modelPath: classifierPath, log }) : null;

  const decoded = await Promise.all(photos.map((jpeg, index) => decodeFrame(`bench-${index}`, jpeg)));
  const inferenceMs = await timed(async () => {
    for (const frame of decoded) await detector.detect(frame.full.rgb, frame.full.width, frame.full.height);
  });

  const analyser = new FrameAnalyser({ bus: new EventBus(log), detector, classifier, log, birdScoreMin: 0.5 });
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const analysisMs = await timed(async () => {
    for (const [index, jpeg] of photos.entries()) await analyser.analyse({ id: `bench-${index}`, at: index * 1000, jpeg });
  });
  delay.disable();
  await detector.close();
  await classifier?.close();

  const inferenceMsPerFrame = inferenceMs / photos.length;
  const loopDelayP99Ms = delay.percentile(99) / 1e6;
  return {
    detector: kind,
    withClassifier: classifier !== null,
    frames: photos.length,
    inferenceMsPerFrame,
    analysisMsPerFrame: analysisMs / photos.length,
    loopDelayP99Ms,
    loopDelayMaxMs: delay.max / 1e6,
    loopDelayToInference: loopDelayP99Ms / inferenceMsPerFrame,
  };
}

export interface SequenceFigures {
  frames: number;
  /** The cloud classifier: the whole call (preprocessing with sharp, then the worker) and its inference alone. */
  classifierMsPerFrame: number;
  classifierInferenceMsPerFrame: number;
  /** Motion on 640x480 frames (grey shrink, differencing, regions), on the main thread. */
  motionMsPerFrame: number;
}

/** The cloud classifier and the motion detector, per frame, on the same photographs. */
export async function benchSequenceParts(classifierPath: string, photos: Buffer[]): Promise<SequenceFigures> {
  const log = silentLogger();
  const classifier = await CloudClassifier.open({ modelPath: classifierPath, log });
  const decoded = await Promise.all(photos.map((jpeg, index) => decodeFrame(`bench-${index}`, jpeg)));

  let inferenceMs = 0;
  const classifyMs = await timed(async () => {
    for (const { full } of decoded) inferenceMs += (await classifier.classifyDetailed(full.rgb, full.width, full.height)).inferenceMs;
  });
  await classifier.close();

  const frames = await Promise.all(
    photos.map(async (jpeg) => {
      const { data, info } = await sharp(jpeg).resize(640, 480).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      return { rgb: new Uint8Array(data), width: info.width, height: info.height };
    }),
  );
  const motion = new MotionDetector();
  const motionMs = await timed(async () => {
    for (const [index, frame] of frames.entries()) motion.observe(frame, index * 1000);
  });

  return {
    frames: photos.length,
    classifierMsPerFrame: classifyMs / photos.length,
    classifierInferenceMsPerFrame: inferenceMs / photos.length,
    motionMsPerFrame: motionMs / photos.length,
  };
}
