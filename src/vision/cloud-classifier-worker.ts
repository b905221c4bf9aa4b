/**
 * The cloud classifier's worker thread: owns the ONNX session, so that `session.run()`
 * (which blocks its thread for the whole inference) never stalls the main event loop.
 * Requests are served one at a time, in order; a failed one is answered with `failed`
 * and the worker carries on.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import type { CloudReply, CloudRequest, CloudWorkerData } from './cloud-classifier-protocol.js';

const port = parentPort;
if (!port) throw new Error('cloud-classifier-worker must run in a worker thread');

const options = workerData as CloudWorkerData;
let queue: Promise<void> = Promise.resolve();

function reply(message: CloudReply): void {
  port!.postMessage(message);
}

async function infer(
  session: ort.InferenceSession,
  tensor: Float32Array,
): Promise<{ genus: Float32Array; group: Float32Array }> {
  const size = options.inputSize;
  if (tensor.length !== 3 * size * size) {
    throw new Error(`input tensor has ${tensor.length} values, the model takes 3x${size}x${size}`);
  }

  const input = new ort.Tensor('float32', tensor, [1, 3, size, size]);
  const outputs = await session.run({ [options.inputName]: input });
  const genus = outputs[options.genusOutput]?.data;
  const group = outputs[options.groupOutput]?.data;
  if (!(genus instanceof Float32Array) || !(group instanceof Float32Array)) {
    throw new Error(`model ${options.modelPath} lacks float32 outputs ${options.genusOutput} and ${options.groupOutput}`);
  }
  return { genus, group };
}

async function serve(session: ort.InferenceSession, request: Extract<CloudRequest, { type: 'classify' }>): Promise<void> {
  const started = performance.now();
  try {
    const { genus, group } = await infer(session, request.tensor);
    reply({ type: 'result', id: request.id, genus, group, inferenceMs: performance.now() - started });
  } catch (error) {
    reply({ type: 'failed', id: request.id, message: error instanceof Error ? error.message : String(error) });
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
    // One intra-op thread: the audio shares the cores.
    session = await ort.InferenceSession.create(options.modelPath, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    // Warm-up: the first run allocates and optimises; pay for it before real frames.
    await infer(session, new Float32Array(3 * options.inputSize * options.inputSize));
  } catch (error) {
    reply({ type: 'load-failed', message: error instanceof Error ? error.message : String(error) });
    return;
  }

  port!.on('message', (request: CloudRequest) => {
    if (request.type === 'close') queue = queue.then(() => closeSession(session));
    else queue = queue.then(() => serve(session, request));
  });
  reply({ type: 'ready', warmupMs: performance.now() - started });
}

void start();
