import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { EventBus } from '../src/bus/bus.js';
import { silentLogger } from '../src/log.js';
import { FrameAnalyser } from '../src/vision/analyser.js';
import { Detector } from '../src/vision/detector.js';
import { decodeFrame } from '../src/vision/frame-decode.js';
import type { DetectorKind } from '../src/vision/model-store.js';
import { timed } from './render.js';

export interface VisionFigures {
  detector: DetectorKind;
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
 * frame (decode, sky measure, detection, bird rule), with the event loop's delay sampled
 * while the analysis runs.
 */
export async function benchVision(kind: DetectorKind, modelPath: string, photos: Buffer[]): Promise<VisionFigures> {
  const log = silentLogger();
  const detector = await Detector.open({ modelPath, kind, log });

  const decoded = await Promise.all(photos.map((jpeg, index) => decodeFrame(`bench-${index}`, jpeg)));
  const inferenceMs = await timed(async () => {
    for (const frame of decoded) await detector.detect(frame.full.rgb, frame.full.width, frame.full.height);
  });

  const analyser = new FrameAnalyser({ bus: new EventBus(log), detector, log, birdScoreMin: 0.5 });
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const analysisMs = await timed(async () => {
    for (const [index, jpeg] of photos.entries()) await analyser.analyse({ id: `bench-${index}`, at: index * 1000, jpeg });
  });
  delay.disable();
  await detector.close();

  const inferenceMsPerFrame = inferenceMs / photos.length;
  const loopDelayP99Ms = delay.percentile(99) / 1e6;
  return {
    detector: kind,
    frames: photos.length,
    inferenceMsPerFrame,
    analysisMsPerFrame: analysisMs / photos.length,
    loopDelayP99Ms,
    loopDelayMaxMs: delay.max / 1e6,
    loopDelayToInference: loopDelayP99Ms / inferenceMsPerFrame,
  };
}
