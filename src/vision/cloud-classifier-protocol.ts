/** Messages between {@link CloudClassifier} (main thread) and its worker. */

/** Passed as `workerData` when the worker starts. */
export interface CloudWorkerData {
  modelPath: string;
  /** Input tensor name and side in pixels, from the model's description. */
  inputName: string;
  inputSize: number;
  /** Output names: probabilities over genera and over groups. */
  genusOutput: string;
  groupOutput: string;
}

export type CloudRequest =
  /** `tensor`: planar RGB float32 0..255, 3 x inputSize x inputSize (transferred). */
  | { type: 'classify'; id: number; tensor: Float32Array }
  /** Finish the requests already queued, release the model and exit. */
  | { type: 'close' };

export type CloudReply =
  | { type: 'ready'; warmupMs: number }
  | { type: 'load-failed'; message: string }
  | { type: 'result'; id: number; genus: Float32Array; group: Float32Array; inferenceMs: number }
  | { type: 'failed'; id: number; message: string };
