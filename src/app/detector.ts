import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { SkyConfig } from '../config/schema.js';
import { Detector } from '../vision/detector.js';
import { MODEL_SPECS, ensureModel } from '../vision/model-store.js';

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
    log.child({ component: 'detector' }).error({ err, detector: kind }, 'bird detector unavailable; frames give sky cover only');
    return null;
  }
}
