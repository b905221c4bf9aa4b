/**
 * The cloud classifier's description (`cloud-classifier.json` beside the ONNX file, written
 * by tools/train-cloud-classifier.py): input name and size, output names, class order and
 * the held-out scores. Read and checked at the boundary; a bad file is a clear error.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The committed model of this project. */
export const CLOUD_MODEL_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../models/clouds');
export const CLOUD_MODEL_PATH = join(CLOUD_MODEL_DIR, 'cloud-classifier.onnx');

const infoSchema = z.object({
  model: z.string().min(1),
  input: z.object({ name: z.string().min(1), size: z.number().int().min(8).max(1024) }),
  outputs: z.object({ genus: z.string().min(1), group: z.string().min(1) }),
  genera: z.array(z.string().min(1)).min(2),
  /** Group name -> genera in it, in the order of the group output. */
  groups: z.record(z.string(), z.array(z.string().min(1)).min(1)),
  heldout: z.object({
    photographs: z.number().int().positive(),
    /** Top-1 accuracy (0..1) on the held-out photographs, as measured by the training. */
    groupAccuracy: z.number().min(0).max(1),
    genusAccuracy: z.number().min(0).max(1),
  }),
});

export type CloudModelInfo = z.infer<typeof infoSchema>;

/** A description file that is missing, not JSON, or not what the classifier needs. */
export class CloudModelInfoError extends Error {
  override readonly name = 'CloudModelInfoError';
}

/** Where the description of a model file lives: same folder, `.json` for `.onnx`. */
export function cloudModelInfoPath(modelPath: string): string {
  return modelPath.replace(/\.onnx$/, '') + '.json';
}

/** Reads and checks the description of `modelPath`. Rejects with CloudModelInfoError. */
export async function loadCloudModelInfo(modelPath: string): Promise<CloudModelInfo> {
  const path = cloudModelInfoPath(modelPath);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CloudModelInfoError(`cloud model description ${path} cannot be read: ${(error as Error).message}`);
  }
  return parseCloudModelInfo(text, path);
}

/** Parses a description's text; `source` names it in errors. */
export function parseCloudModelInfo(text: string, source: string): CloudModelInfo {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CloudModelInfoError(`cloud model description ${source} is not JSON: ${(error as Error).message}`);
  }

  const parsed = infoSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CloudModelInfoError(`cloud model description ${source}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }

  const genera = new Set(parsed.data.genera);
  for (const [group, members] of Object.entries(parsed.data.groups)) {
    const stranger = members.find((genus) => !genera.has(genus));
    if (stranger) throw new CloudModelInfoError(`cloud model description ${source}: group ${group} names unknown genus ${stranger}`);
  }
  return parsed.data;
}
