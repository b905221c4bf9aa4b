/**
 * The cloud-type classifier (models/clouds/, trained by tools/train-cloud-classifier.py),
 * run in a worker thread so inference never blocks the event loop (case O2). Frames are
 * preprocessed here with sharp, which works off the loop on libuv's pool, and the tensor is
 * handed to the worker. One worker per classifier; requests are served in order. A failed
 * call rejects alone; a crashed worker fails the calls in flight and starts again on the
 * next call.
 *
 * Caveat: the model has seen CCSN photographs (framed on clouds, daylight). It has no
 * clear-sky class: on a clear frame its answer means nothing; weigh it by cloud cover.
 */
import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { settlesWithin } from '../time/deadline.js';
import { spawnVisionWorker } from './worker-spawn.js';
import type { CloudReply, CloudRequest, CloudWorkerData } from './cloud-classifier-protocol.js';
import { loadCloudModelInfo, type CloudModelInfo } from './cloud-model-info.js';
import { cloudClassifierInput } from './cloud-preprocess.js';

export { CloudInputError } from './cloud-preprocess.js';

export interface CloudClassifierOptions {
  /** Path of the ONNX file; its description (.json) must lie beside it. */
  modelPath: string;
  log: Logger;
}

/** Probabilities (0..1, summing to 1 within float error) by class name. */
export type CloudProbabilities = Record<string, number>;

export interface CloudClassification {
  /** By group (cumuliform, stratiform, ...): what the music follows. */
  groups: CloudProbabilities;
  /** By CCSN genus (Ac, As, ...): the detail behind the groups. */
  genera: CloudProbabilities;
  /** Time of `session.run()` in the worker, milliseconds. */
  inferenceMs: number;
}

/** A classifier call or start-up that failed; the message says which and why. */
export class CloudClassifierError extends Error {
  override readonly name = 'CloudClassifierError';
}

interface Pending {
  resolve: (reply: Extract<CloudReply, { type: 'result' }>) => void;
  reject: (error: Error) => void;
}

function byName(names: readonly string[], values: Float32Array): CloudProbabilities {
  return Object.fromEntries(names.map((name, index) => [name, values[index] ?? 0]));
}

export class CloudClassifier {
  private worker: Worker | null = null;
  private starting: Promise<Worker> | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  private readonly log: Logger;
  private readonly workerData: CloudWorkerData;

  private constructor(
    readonly info: CloudModelInfo,
    modelPath: string,
    log: Logger,
  ) {
    this.log = log.child({ component: 'cloud-classifier' });
    this.workerData = {
      modelPath,
      inputName: info.input.name,
      inputSize: info.input.size,
      genusOutput: info.outputs.genus,
      groupOutput: info.outputs.group,
    };
  }

  /** Reads the model's description, starts the worker and waits for the warmed-up model. */
  static async open(options: CloudClassifierOptions): Promise<CloudClassifier> {
    const info = await loadCloudModelInfo(options.modelPath).catch((error: Error) => {
      throw new CloudClassifierError(error.message);
    });
    const classifier = new CloudClassifier(info, options.modelPath, options.log);
    await classifier.ensureWorker();
    return classifier;
  }

  /** Group names, in the model's output order. */
  get groups(): string[] {
    return Object.keys(this.info.groups);
  }

  /**
   * Group probabilities for an RGB frame (3 bytes a pixel, `width` x `height`, any size;
   * only its centred square is seen). The caller keeps its buffer. Rejects with
   * CloudInputError for a bad frame, CloudClassifierError for a failed inference.
   */
  async classify(rgb: Uint8Array, width: number, height: number): Promise<CloudProbabilities> {
    return (await this.classifyDetailed(rgb, width, height)).groups;
  }

  /** Group and genus probabilities for an RGB frame, as {@link classify}. */
  async classifyDetailed(rgb: Uint8Array, width: number, height: number): Promise<CloudClassification> {
    if (this.closed) throw new CloudClassifierError('cloud classifier is closed');
    const tensor = await cloudClassifierInput(rgb, width, height, this.info.input.size);
    if (this.closed) throw new CloudClassifierError('cloud classifier closed');

    const worker = await this.ensureWorker();
    const id = this.nextId++;
    const reply = await new Promise<Extract<CloudReply, { type: 'result' }>>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const request: CloudRequest = { type: 'classify', id, tensor };
      worker.postMessage(request, [tensor.buffer as ArrayBuffer]);
    });

    return {
      groups: byName(this.groups, reply.group),
      genera: byName(this.info.genera, reply.genus),
      inferenceMs: reply.inferenceMs,
    };
  }

  /**
   * Stops the worker; calls in flight reject at once. The worker finishes the inference it is
   * running, releases the model and exits; it is terminated only after `graceMs`. Idempotent.
   */
  async close(graceMs = 5_000): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    this.starting = null;
    this.failPending(new CloudClassifierError('cloud classifier closed'));
    if (!worker) return;

    const exited = once(worker, 'exit');
    const request: CloudRequest = { type: 'close' };
    worker.postMessage(request);
    if (!(await settlesWithin(exited, graceMs))) {
      this.log.warn({ graceMs }, 'cloud classifier worker did not stop in time; terminating it');
      await worker.terminate();
    }
  }

  private ensureWorker(): Promise<Worker> {
    if (this.worker) return Promise.resolve(this.worker);
    if (this.closed) return Promise.reject(new CloudClassifierError('cloud classifier closed'));
    this.starting ??= this.startWorker().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private startWorker(): Promise<Worker> {
    const worker = spawnVisionWorker('cloud-classifier-worker', this.workerData);
    return new Promise<Worker>((resolve, reject) => {
      let ready = false;

      worker.on('message', (reply: CloudReply) => {
        if (reply.type === 'ready') {
          ready = true;
          if (this.closed) {
            reject(new CloudClassifierError('cloud classifier closed while starting'));
            worker.postMessage({ type: 'close' } satisfies CloudRequest);
            return;
          }
          this.worker = worker;
          this.log.info({ warmupMs: Math.round(reply.warmupMs) }, 'cloud classifier ready');
          resolve(worker);
        } else if (reply.type === 'load-failed') {
          reject(new CloudClassifierError(`cloud model ${this.workerData.modelPath} failed to load: ${reply.message}`));
          void worker.terminate();
        } else {
          this.settle(reply);
        }
      });

      worker.on('error', (error) => {
        this.log.error({ err: error }, 'cloud classifier worker crashed; it restarts on the next call');
        if (!ready) reject(new CloudClassifierError(`cloud classifier worker failed to start: ${error.message}`));
        this.forget(worker, new CloudClassifierError(`cloud classifier worker crashed: ${error.message}`));
      });

      worker.on('exit', (code) => {
        if (!ready) reject(new CloudClassifierError(`cloud classifier worker exited (code ${code}) before it was ready`));
        this.forget(worker, new CloudClassifierError(`cloud classifier worker exited (code ${code})`));
      });
    });
  }

  private forget(worker: Worker, error: CloudClassifierError): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.failPending(error);
  }

  private settle(reply: Extract<CloudReply, { id: number }>): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);

    if (reply.type === 'result') {
      this.log.debug({ inferenceMs: Math.round(reply.inferenceMs) }, 'classified');
      waiting.resolve(reply);
    } else {
      waiting.reject(new CloudClassifierError(`cloud classification failed: ${reply.message}`));
    }
  }

  private failPending(error: CloudClassifierError): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
