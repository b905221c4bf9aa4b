import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { SkyConfig } from '../config/schema.js';
import { Detector, DetectorError } from '../vision/detector.js';
import { MODEL_SPECS, ModelStoreError, ensureModel } from '../vision/model-store.js';

/**
 * Opens the configured bird detector, fetching its weights first when allowed. A detector
 * that cannot be had is logged and given as null: the music never waits for vision.
 */
export async function openDetector(config: SkyConfig, log: Logger): Promise<Detector | null> {
  const kind = config.vision.detector;
  try {
    const modelPath = await ensureModel(MODEL_SPECS[kind], resolve(config.vision.modelDir), {
      fetch: config.vision.fetchMissingModel,
      log: log.child({ component: 'model-store' }),
    });
    return await Detector.open({ modelPath, kind, log });
  } catch (err) {
    // The store's and detector's own errors already say what and why; their stacks and
    // causes would only repeat it. Anything else is unexpected and logged whole.
    const expected = err instanceof ModelStoreError || err instanceof DetectorError;
    const detail = expected ? { reason: err.message } : { err };
    log.child({ component: 'detector' }).error({ ...detail, detector: kind }, 'bird detector unavailable; frames give sky cover only');
    return null;
  }
}
