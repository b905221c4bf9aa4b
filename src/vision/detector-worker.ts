/**
 * The detector's worker thread: owns the ONNX session, so that `session.run()` (which
 * blocks its thread for the whole inference) never stalls the main event loop.
 * Requests are served one at a time, in order. A failed request is answered with
 * `failed` and the worker carries on.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import type { Detection } from '../bus/events.js';
import type { DetectorReply, DetectorRequest, DetectorWorkerData } from './detector-protocol.js';
import {
  FASTESTDET_INPUT_NAME,
  FASTESTDET_INPUT_SIZE,
  decodeFastestDet,
  preprocessFastestDet,
} from './fastestdet.js';
import { nonMaxSuppression } from './nms.js';
import { YOLOX_INPUT_NAME, YOLOX_INPUT_SIZE, decodeYolox, preprocessYolox } from './yolox.js';

const port = parentPort;
if (!port) throw new Error('detector-worker must run in a worker thread');

const options = workerData as DetectorWorkerData;
let queue: Promise<void> = Promise.resolve();

function reply(message: DetectorReply): void {
  port!.postMessage(message);
}

async function openSession(): Promise<ort.InferenceSession> {
  // One intra-op thread: the audio shares the cores, and more threads do not pay here.
  return ort.InferenceSession.create(options.modelPath, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
}

async function infer(
  session: ort.InferenceSession,
  rgb: Uint8Array,
  width: number,
  height: number,
): Promise<Detection[]> {
  const yolox = options.kind === 'yolox-nano';
  const size = yolox ? YOLOX_INPUT_SIZE : FASTESTDET_INPUT_SIZE;
  const preprocess = yolox ? preprocessYolox : preprocessFastestDet;
  const data = preprocess(rgb, width, height);
  const input = new ort.Tensor('float32', data, [1, 3, size, size]);

  const outputs = await session.run({ [yolox ? YOLOX_INPUT_NAME : FASTESTDET_INPUT_NAME]: input });
  const output = outputs[session.outputNames[0]!];
  if (!output || !(output.data instanceof Float32Array)) {
    throw new Error(`model ${options.modelPath} gave no float32 output`);
  }

  const raw = yolox
    ? decodeYolox(output.data, width, height, options.scoreMin)
    : decodeFastestDet(output.data, options.scoreMin);
  return nonMaxSuppression(raw, { iouMax: options.iouMax, classAgnostic: true });
}

async function serve(session: ort.InferenceSession, request: Exclude<DetectorRequest, { type: 'close' }>): Promise<void> {
  if (request.type === 'crash') {
    setImmediate(() => {
      throw new Error('detector worker crashed on request');
    });
    return;
  }

  const started = performance.now();
  try {
    const detections = await infer(session, request.rgb, request.width, request.height);
    reply({ type: 'result', id: request.id, detections, inferenceMs: performance.now() - started });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    reply({ type: 'failed', id: request.id, message });
  }
}

/**
 * Ends the worker cleanly once the inference in progress is done. Terminating a worker while
 * onnxruntime is inside `run()` aborts the whole process (a native Napi::Error), so the main
 * thread asks for this instead and terminates only if it never comes.
 */
async function closeSession(session: ort.InferenceSession): Promise<void> {
  await session.release().catch(() => {});
  port!.close();
}

async function start(): Promise<void> {
  let session: ort.InferenceSession;
  const started = performance.now();
  try {
    session = await openSession();
    // Warm-up: the first run allocates and optimises; pay for it before real frames.
    const size = options.kind === 'yolox-nano' ? YOLOX_INPUT_SIZE : FASTESTDET_INPUT_SIZE;
    await infer(session, new Uint8Array(size * size * 3), size, size);
  } catch (error) {
    reply({ type: 'load-failed', message: error instanceof Error ? error.message : String(error) });
    return;
  }

  port!.on('message', (request: DetectorRequest) => {
    if (request.type === 'close') {
      queue = queue.then(() => closeSession(session));
      return;
    }
    queue = queue.then(() => serve(session, request));
  });
  reply({ type: 'ready', warmupMs: performance.now() - started });
}

void start();
