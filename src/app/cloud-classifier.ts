import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { SkyConfig } from '../config/schema.js';
import { CloudClassifier, CloudClassifierError } from '../vision/cloud-classifier.js';

/**
 * Opens the configured cloud-type classifier. One turned off (an empty path) or that
 * cannot be had is given as null, the latter logged: frames then carry cover and
 * brightness without cloud types, and the music goes on.
 */
export async function openCloudClassifier(config: SkyConfig, log: Logger): Promise<CloudClassifier | null> {
  const path = config.vision.cloudClassifier;
  if (path === '') return null;

  try {
    return await CloudClassifier.open({ modelPath: resolve(path), log });
  } catch (err) {
    const detail = err instanceof CloudClassifierError ? { reason: err.message } : { err };
    log.child({ component: 'cloud-classifier' }).error({ ...detail, path }, 'cloud classifier unavailable; frames give cover without cloud types');
    return null;
  }
}
