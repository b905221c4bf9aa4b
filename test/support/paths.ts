import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

/** The repository root. */
export const REPO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The team's shared inputs (photographs, models, weather replies), read in place, never copied. */
export const SHARED_DIR = resolve(REPO_DIR, '../shared');
