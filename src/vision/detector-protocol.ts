/** Messages between {@link Detector} (main thread) and its worker. */
import type { Detection } from '../bus/events.js';
import type { DetectorKind } from './model-store.js';

/** Passed as `workerData` when the worker starts. */
export interface DetectorWorkerData {
  modelPath: string;
  kind: DetectorKind;
  /** Detections scoring below this (0..1) are dropped before suppression. */
  scoreMin: number;
  /** IoU (0..1) above which the weaker of two overlapping boxes is dropped. */
  iouMax: number;
}

export type DetectorRequest =
  | { type: 'detect'; id: number; rgb: Uint8Array; width: number; height: number }
  /** Finish the requests already queued, release the model and exit. */
  | { type: 'close' }
  /** Makes the worker throw an uncaught error, as a crash would; for tests. */
  | { type: 'crash' };

export type DetectorReply =
  | { type: 'ready'; warmupMs: number }
  | { type: 'load-failed'; message: string }
  | { type: 'result'; id: number; detections: Detection[]; inferenceMs: number }
  | { type: 'failed'; id: number; message: string };
