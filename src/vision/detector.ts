/**
 * The object detector, run in a worker thread so inference never blocks the event loop.
 * One worker per Detector; requests are served in order. A failed inference rejects
 * that call only. A crashed worker fails the calls in flight and is started again on
 * the next call.
 */
import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { settlesWithin } from '../time/deadline.js';
import { spawnVisionWorker } from './worker-spawn.js';
import type { Detection } from '../bus/events.js';
import type { FrameDetector } from './birds.js';
import type { DetectorReply, DetectorRequest, DetectorWorkerData } from './detector-protocol.js';
import type { DetectorKind } from './model-store.js';

export interface DetectorOptions {
  /** Path of the ONNX file (see ensureModel). */
  modelPath: string;
  kind: DetectorKind;
  log: Logger;
  /** Detections scoring below this (0..1) are not returned. Default 0.2. */
  scoreMin?: number;
  /** Overlap (IoU, 0..1) above which the weaker box is suppressed. Default 0.45. */
  iouMax?: number;
}

/** A detector call or start-up that failed; the message says which and why. */
export class DetectorError extends Error {
  override readonly name = 'DetectorError';
}

interface Pending {
  resolve: (detections: Detection[]) => void;
  reject: (error: Error) => void;
}

export class Detector implements FrameDetector {
  /** The running worker, or null until (re)started. */
  private worker: Worker | null = null;
  /** Resolves when the current worker has loaded and warmed up its model. */
  private starting: Promise<Worker> | null = null;
  /** Calls waiting for the worker's answer, by request id. */
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  private readonly log: Logger;
  private readonly workerData: DetectorWorkerData;

  private constructor(options: DetectorOptions) {
    this.log = options.log.child({ component: 'detector', kind: options.kind });
    this.workerData = {
      modelPath: options.modelPath,
      kind: options.kind,
      scoreMin: options.scoreMin ?? 0.2,
      iouMax: options.iouMax ?? 0.45,
    };
  }

  /** Starts the worker and waits until the model is loaded and warmed up. */
  static async open(options: DetectorOptions): Promise<Detector> {
    const detector = new Detector(options);
    await detector.ensureWorker();
    return detector;
  }

  /**
   * Detections in an RGB frame (3 bytes a pixel, `width` x `height`), boxes as
   * fractions of the frame, best score first, after suppression. The pixels are copied
   * to the worker; the caller keeps its buffer. Rejects with DetectorError.
   */
  async detect(rgb: Uint8Array, width: number, height: number): Promise<Detection[]> {
    if (this.closed) throw new DetectorError('detector is closed');

    const worker = await this.ensureWorker();
    const id = this.nextId++;
    return new Promise<Detection[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const request: DetectorRequest = { type: 'detect', id, rgb, width, height };
      worker.postMessage(request);
    });
  }

  /**
   * Stops the worker; calls in flight reject at once. The worker finishes the inference it
   * is running, releases the model and exits; it is terminated only if that takes longer
   * than `graceMs`. Idempotent.
   */
  async close(graceMs = 5_000): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    this.starting = null;
    this.failPending(new DetectorError('detector closed'));
    if (!worker) return;

    const exited = once(worker, 'exit');
    const request: DetectorRequest = { type: 'close' };
    worker.postMessage(request);

    if (!(await settlesWithin(exited, graceMs))) {
      this.log.warn({ graceMs }, 'detector worker did not stop in time; terminating it');
      await worker.terminate();
    }
  }

  /** Makes the worker crash as an uncaught error would. For tests of the restart. */
  crashWorkerForTest(): void {
    const request: DetectorRequest = { type: 'crash' };
    this.worker?.postMessage(request);
  }

  private ensureWorker(): Promise<Worker> {
    if (this.worker) return Promise.resolve(this.worker);
    if (!this.starting) {
      this.starting = this.startWorker().finally(() => {
        this.starting = null;
      });
    }
    return this.starting;
  }

  private startWorker(): Promise<Worker> {
    const worker = spawnVisionWorker('detector-worker', this.workerData);

    return new Promise<Worker>((resolve, reject) => {
      let ready = false;

      worker.on('message', (reply: DetectorReply) => {
        if (reply.type === 'ready') {
          ready = true;
          if (this.closed) {
            reject(new DetectorError('detector closed while starting'));
            const request: DetectorRequest = { type: 'close' };
            worker.postMessage(request);
            return;
          }
          this.worker = worker;
          this.log.info({ warmupMs: Math.round(reply.warmupMs) }, 'detector ready');
          resolve(worker);
        } else if (reply.type === 'load-failed') {
          const path = this.workerData.modelPath;
          reject(new DetectorError(`model ${path} failed to load: ${reply.message}`));
          void worker.terminate();
        } else {
          this.settle(reply);
        }
      });

      worker.on('error', (error) => {
        this.log.error({ err: error }, 'detector worker crashed; it restarts on the next call');
        if (!ready) reject(new DetectorError(`detector worker failed to start: ${error.message}`));
        this.forget(worker, new DetectorError(`detector worker crashed: ${error.message}`));
      });

      worker.on('exit', (code) => {
        if (!ready) {
          reject(new DetectorError(`detector worker exited (code ${code}) before it was ready`));
        }
        this.forget(worker, new DetectorError(`detector worker exited (code ${code})`));
      });
    });
  }

  /** Drops a dead worker and fails what was waiting on it. */
  private forget(worker: Worker, error: DetectorError): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.failPending(error);
  }

  private settle(reply: Extract<DetectorReply, { id: number }>): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);

    if (reply.type === 'result') {
      const inferenceMs = Math.round(reply.inferenceMs);
      this.log.debug({ inferenceMs, found: reply.detections.length }, 'detected');
      waiting.resolve(reply.detections);
    } else {
      waiting.reject(new DetectorError(`detection failed: ${reply.message}`));
    }
  }

  private failPending(error: DetectorError): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
