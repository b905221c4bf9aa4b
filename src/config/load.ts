import { readFileSync } from 'node:fs';
import { isMap, isScalar, LineCounter, parseDocument, parse as parseYamlScalar } from 'yaml';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { rememberSecret, scrubSecrets, urlPassword } from './redact.js';
import { configSchema, SECRET_PATHS, URL_PATHS, type SkyConfig } from './schema.js';

/** Every problem found in a configuration, each with its path, value and (for files) line. */
export class ConfigError extends InputError {
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

/** A setting given outside the file, with where it came from for error messages. */
interface Override {
  path: string[];
  value: unknown;
  /** `env SKYCHOIR_…` or `--set`. */
  origin: string;
}

/**
 * Loads file, then environment, then command-line settings, and validates the result
 * once, so that every error is reported together, each naming where the value came from:
 * the file and line, the environment variable, or the --set flag.
 */
export function loadConfig(sources: ConfigSources = {}): SkyConfig {
  const problems: string[] = [];
  let raw: Record<string, unknown> = {};
  let fileLines: YamlLines = { lineOf: () => undefined, lineOfKey: () => undefined };

  if (sources.file) {
    const parsed = readYamlFile(sources.file, problems);
    raw = parsed.value;
    fileLines = parsed;
  }

  const overrides = [...envOverrides(sources.env ?? {}, problems), ...setOverrides(sources.sets ?? [], problems)];
  for (const override of overrides) setPath(raw, override.path, override.value);

  const whereIs = (path: PropertyKey[], key?: string): string => {
    const full = key === undefined ? path : [...path, key];
    const dotted = full.join('.');
    const given = [...overrides].reverse().find((override) => dotted === override.path.join('.') || dotted.startsWith(`${override.path.join('.')}.`));
    if (given) return `${given.origin}: `;
    const line = key === undefined ? fileLines.lineOf(path) : fileLines.lineOfKey(path, key);
    return line && sources.file ? `${sources.file}:${line} ` : '';
  };

  const result = configSchema.safeParse(raw, { reportInput: true });
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) problems.push(`${whereIs(issue.path, key)}${unknownKeyProblem(issue.path, key)}`);
        continue;
      }
      const path = issue.path.join('.') || '(top level)';
      problems.push(`${whereIs(issue.path)}${path}: ${issue.message} (got ${describeValue(issue.input, path)})`);
    }
  }

  if (problems.length > 0 || !result.success) throw new ConfigError(problems);

  for (const path of SECRET_PATHS) rememberSecret(valueAt(result.data, path));
  for (const path of URL_PATHS) {
    const url = valueAt(result.data, path);
    if (url) rememberSecret(urlPassword(url));
  }
  return result.data;
}

/**
 * Environment overrides: `SKYCHOIR_<SECTION>_<FIELD>` in upper snake case, for example
 * SKYCHOIR_WEATHER_API_KEY → weather.apiKey and SKYCHOIR_CAMERA_URL → camera.url.
 * Derived from the schema, so every field can be set this way. Any other SKYCHOIR_ name is
 * a problem (a misspelt key variable must not be silently ignored), with the closest name.
 */
export function envOverrides(env: NodeJS.ProcessEnv, problems: string[] = []): Override[] {
  const known = new Map(settingPaths().map((path) => [`SKYCHOIR_${path.map(toSnake).join('_')}`, path]));
  const found: Override[] = [];

  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('SKYCHOIR_') || value === undefined || value === '') continue;
    const path = known.get(name);
    if (!path) {
      problems.push(`env ${name}: not a setting${suggestion(name, [...known.keys()])}`);
      continue;
    }
    found.push({ path, value: valueFromText(path, value), origin: `env ${name}` });
  }
  return found;
}

function setOverrides(sets: string[], problems: string[]): Override[] {
  const found: Override[] = [];
  for (const assignment of sets) {
    const at = assignment.indexOf('=');
    if (at <= 0) {
      problems.push(`--set ${JSON.stringify(assignment)}: expected path=value`);
      continue;
    }
    const path = assignment.slice(0, at).split('.');
    found.push({ path, value: valueFromText(path, assignment.slice(at + 1)), origin: '--set' });
  }
  return found;
}

/**
 * A value typed on a command line or in the environment. Text settings (strings and
 * choices) take the text exactly as given, so a key of digits or a password with ` #`
 * survives; other settings are read as YAML scalars (numbers, booleans).
 */
function valueFromText(path: string[], text: string): unknown {
  if (isTextSetting(path)) return text;
  try {
    return parseYamlScalar(text);
  } catch {
    return text;
  }
}

/** Every `[section, field]` the schema knows. */
function settingPaths(): string[][] {
  return Object.entries(configSchema.shape).flatMap(([section, schema]) =>
    Object.keys(objectShape(schema) ?? {}).map((field) => [section, field]),
  );
}

function isTextSetting(path: string[]): boolean {
  const [section, field] = path;
  if (path.length !== 2 || !section || !field) return false;
  let schema = objectShape(configSchema.shape[section as keyof typeof configSchema.shape])?.[field];
  while (schema && !(schema instanceof z.ZodString) && !(schema instanceof z.ZodEnum)) {
    schema = innerSchema(schema);
  }
  return schema !== undefined;
}

/** The fields of an object schema under any wrappers (default, prefault, optional). */
function objectShape(schema: unknown): Record<string, unknown> | undefined {
  for (let current = schema; current; current = innerSchema(current)) {
    if (current instanceof z.ZodObject) return current.shape as Record<string, unknown>;
  }
  return undefined;
}

/** The schema a wrapper (default, prefault, optional, nullable) wraps, if it is one. */
function innerSchema(schema: unknown): unknown {
  const inner = (schema as { def?: { innerType?: unknown } }).def?.innerType;
  return inner;
}

function unknownKeyProblem(parent: PropertyKey[], key: string): string {
  const path = [...parent.map(String), key].join('.');
  const siblings =
    parent.length === 0
      ? Object.keys(configSchema.shape)
      : parent.length === 1
        ? Object.keys(objectShape(configSchema.shape[String(parent[0]) as keyof typeof configSchema.shape]) ?? {})
        : [];
  return `${path}: not a setting${suggestion(key, siblings)}`;
}

/** ` (did you mean X?)` for the closest of `names` when it is close enough, else ''. */
function suggestion(given: string, names: string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of names) {
    const distance = editDistance(given.toLowerCase(), name.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(given.length / 3)) ? ` (did you mean ${best}?)` : '';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

interface YamlLines {
  /** Line of the value at `path`, or of its nearest ancestor found. */
  lineOf: (path: PropertyKey[]) => number | undefined;
  /** Line of the key `key` in the mapping at `parent`. */
  lineOfKey: (parent: PropertyKey[], key: string) => number | undefined;
}

function readYamlFile(file: string, problems: string[]) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    problems.push(`${file}: cannot read (${(error as Error).message})`);
    return { value: {}, lineOf: () => undefined, lineOfKey: () => undefined };
  }

  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  for (const error of doc.errors) {
    const at = lineCounter.linePos(error.pos[0]);
    problems.push(`${file}:${at.line}:${at.col}: ${error.message}`);
  }

  let value: unknown = {};
  try {
    if (doc.errors.length === 0) value = doc.toJS();
  } catch (error) {
    // toJS refuses aliases that expand without bound (a "billion laughs" file), among others.
    problems.push(`${file}: ${(error as Error).message}`);
  }

  const lineOf = (path: PropertyKey[]): number | undefined => {
    for (let depth = path.length; depth > 0; depth--) {
      const node = doc.getIn(path.slice(0, depth) as unknown[], true) as { range?: [number] } | undefined;
      if (node?.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };

  const lineOfKey = (parent: PropertyKey[], key: string): number | undefined => {
    const map = parent.length === 0 ? doc.contents : doc.getIn(parent as unknown[], true);
    if (!isMap(map)) return lineOf(parent);
    const pair = map.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
    const start = isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
    return start === undefined ? lineOf(parent) : lineCounter.linePos(start).line;
  };

  if ((value !== null && typeof value !== 'object') || Array.isArray(value)) {
    problems.push(`${file}: expected a mapping of settings at the top level, found ${Array.isArray(value) ? 'a list' : 'a single value'}`);
    return { value: {}, lineOf, lineOfKey };
  }
  return { value: (value ?? {}) as Record<string, unknown>, lineOf, lineOfKey };
}

/** The string at a dotted `section.field` path, or undefined. */
function valueAt(config: SkyConfig, path: string): string | undefined {
  const [section, field] = path.split('.') as [string, string];
  const value = (config as unknown as Record<string, Record<string, unknown>>)[section]?.[field];
  return typeof value === 'string' ? value : undefined;
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

function describeValue(value: unknown, path: string): string {
  if ((SECRET_PATHS as readonly string[]).includes(path)) return '[redacted]';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const shown = typeof value === 'string' ? JSON.stringify(scrubSecrets(value)) : JSON.stringify(value);
  return shown === undefined ? 'nothing' : shown.length > 60 ? `${shown.slice(0, 57)}...` : shown;
}

function toSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}
