import { readFile } from 'node:fs/promises';
import { stemManifestSchema, type StemManifest } from './stem-manifest.js';

/** A stem manifest that cannot be used, with every problem found in it. */
export class StemManifestError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    const list = problems.map((problem) => `\n  - ${problem}`).join('');
    super(`stem manifest ${file} is not valid (${problems.length} problem(s)):${list}`);
    this.name = 'StemManifestError';
  }
}

/**
 * Reads and validates a stem manifest (`manifest.json`). Throws a `StemManifestError`
 * naming the file and listing every problem: unreadable file, bad JSON, each schema
 * violation with its path (for example `stems[2].layer`), and stem ids used twice.
 */
export async function readStemManifest(path: string): Promise<StemManifest> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new StemManifestError(path, [`cannot be read: ${describe(error)}`]);
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new StemManifestError(path, [`is not JSON: ${describe(error)}`]);
  }

  const parsed = stemManifestSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${formatPath(issue.path) || '(top level)'}: ${issue.message}`,
    );
    throw new StemManifestError(path, problems);
  }

  const duplicates = duplicateIds(parsed.data);
  if (duplicates.length > 0) {
    throw new StemManifestError(
      path,
      duplicates.map((id) => `stems: id "${id}" is used more than once`),
    );
  }
  return parsed.data;
}

function duplicateIds(manifest: StemManifest): string[] {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const stem of manifest.stems) {
    if (seen.has(stem.id)) duplicates.add(stem.id);
    seen.add(stem.id);
  }
  return [...duplicates];
}

/** ['stems', 2, 'layer'] to 'stems[2].layer'. */
function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => {
      if (typeof key === 'number') return `[${key}]`;
      const name = String(key);
      return index === 0 ? name : `.${name}`;
    })
    .join('');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
