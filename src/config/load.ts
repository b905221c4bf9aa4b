import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, parse as parseYamlScalar } from 'yaml';
import { configSchema, type SkyConfig } from './schema.js';

/** Every problem found in a configuration, each with its path, value and (for files) line. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

export interface ConfigSources {
  /** A YAML file; missing keys take the schema's defaults. */
  file?: string;
  /** Environment, read for SKYCHOIR_* names (see {@link envOverrides}). */
  env?: NodeJS.ProcessEnv;
  /** `path=value` pairs from the command line, applied last. */
  sets?: string[];
}

/**
 * Loads file, then environment, then command-line settings, and validates the result
 * once, so that every error is reported together.
 */
export function loadConfig(sources: ConfigSources = {}): SkyConfig {
  const problems: string[] = [];
  let raw: Record<string, unknown> = {};
  let lineOf: (path: PropertyKey[]) => number | undefined = () => undefined;

  if (sources.file) {
    const parsed = readYamlFile(sources.file, problems);
    raw = parsed.value;
    lineOf = parsed.lineOf;
  }

  for (const [path, value] of envOverrides(sources.env ?? {})) setPath(raw, path, value);

  for (const assignment of sources.sets ?? []) {
    const at = assignment.indexOf('=');
    if (at <= 0) {
      problems.push(`--set ${JSON.stringify(assignment)}: expected path=value`);
      continue;
    }
    setPath(raw, assignment.slice(0, at).split('.'), parseScalar(assignment.slice(at + 1)));
  }

  const result = configSchema.safeParse(raw, { reportInput: true });
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.join('.') || '(top level)';
      const line = lineOf(issue.path);
      const where = line ? `${sources.file}:${line} ` : '';
      const got = issue.code === 'unrecognized_keys' ? '' : ` (got ${describeValue(issue.input, path)})`;
      problems.push(`${where}${path}: ${issue.message}${got}`);
    }
  }

  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return result.data;
}

/**
 * Environment overrides: `SKYCHOIR_<SECTION>_<FIELD>` in upper snake case, for example
 * SKYCHOIR_WEATHER_API_KEY → weather.apiKey and SKYCHOIR_CAMERA_URL → camera.url.
 * Derived from the schema, so every field can be set this way.
 */
export function envOverrides(env: NodeJS.ProcessEnv): Array<[string[], unknown]> {
  const found: Array<[string[], unknown]> = [];
  for (const [section, fields] of Object.entries(configSchema.shape)) {
    const inner = (fields as unknown as { unwrap?: () => { shape: Record<string, unknown> } }).unwrap?.();
    for (const field of Object.keys(inner?.shape ?? {})) {
      const name = `SKYCHOIR_${toSnake(section)}_${toSnake(field)}`;
      const value = env[name];
      if (value !== undefined && value !== '') found.push([[section, field], parseScalar(value)]);
    }
  }
  return found;
}

function readYamlFile(file: string, problems: string[]) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    problems.push(`${file}: cannot read (${(error as Error).message})`);
    return { value: {}, lineOf: () => undefined };
  }

  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  for (const error of doc.errors) problems.push(`${file}: ${error.message}`);

  const value = doc.errors.length === 0 ? doc.toJS() : {};
  const lineOf = (path: PropertyKey[]): number | undefined => {
    for (let depth = path.length; depth > 0; depth--) {
      const node = doc.getIn(path.slice(0, depth) as unknown[], true) as { range?: [number] } | undefined;
      if (node?.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };

  if (value !== null && typeof value !== 'object') {
    problems.push(`${file}: expected a mapping at the top level`);
    return { value: {}, lineOf };
  }
  return { value: (value ?? {}) as Record<string, unknown>, lineOf };
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object') node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

function parseScalar(text: string): unknown {
  try {
    return parseYamlScalar(text);
  } catch {
    return text;
  }
}

function describeValue(value: unknown, path: string): string {
  if (path === 'weather.apiKey') return '[redacted]';
  const shown = JSON.stringify(value);
  return shown === undefined ? 'nothing' : shown.length > 60 ? `${shown.slice(0, 57)}...` : shown;
}

function toSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}
