/**
 * Reading a score file: YAML, checked against the score's schema, every problem reported at
 * once with the file, the line, the layer and rule (counted from 1), and what is wrong.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument, isMap, isSeq, type Document } from 'yaml';
import type { z } from 'zod';
import { InputError } from '../errors.js';
import {
  EVENT_CONDITION_NAMES,
  LAYER_NAMES,
  SETTING_NAMES,
  WORLD_CONDITION_NAMES,
  scoreFileSchema,
  type ScoreFile,
} from './score-schema.js';
import type { Score, ScoreLayer } from './score.js';

/** The `composer.scorePath` default: the score that ships with skychoir. */
export const DEFAULT_SCORE_PATH = 'config/score.yaml';

/** The shipped score beside the code (src/composer or dist/composer: two folders up). */
const SHIPPED_SCORE = fileURLToPath(new URL('../../config/score.yaml', import.meta.url));

/** A score that cannot be used: every problem, each naming the file, line, layer and rule. */
export class ScoreError extends InputError {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`invalid score ${file}:\n  ${problems.join('\n  ')}`);
    this.name = 'ScoreError';
  }
}

/**
 * The file a `composer.scorePath` names: relative to the working directory; the default, when
 * the working directory has no `config/score.yaml`, is the copy shipped with skychoir.
 */
export function resolveScorePath(path: string): string {
  if (isAbsolute(path)) return path;
  const local = resolve(path);
  if (existsSync(local) || path !== DEFAULT_SCORE_PATH) return local;
  return SHIPPED_SCORE;
}

/** Reads and checks the score at `path` (see {@link resolveScorePath}). Throws a {@link ScoreError}. */
export function loadScore(path: string = DEFAULT_SCORE_PATH): Score {
  const file = resolveScorePath(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ScoreError(file, [`${file}: cannot read (${(error as Error).message})`]);
  }
  return parseScore(text, file);
}

/** Checks a score's text; `file` names it in messages and in {@link Score.source}. */
export function parseScore(text: string, file: string): Score {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const problems = doc.errors.map((error) => {
    const at = lines.linePos(error.pos[0]);
    const place = placeOfOffset(doc, error.pos[0]);
    return `${file}:${at.line}:${at.col}${place ? ` ${place}` : ''}: ${error.message.split('\n')[0]}`;
  });
  if (problems.length > 0) throw new ScoreError(file, problems);

  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch (error) {
    throw new ScoreError(file, [`${file}: ${(error as Error).message}`]);
  }

  const result = scoreFileSchema.safeParse(raw, { reportInput: true });
  if (!result.success) {
    const lineOf = (path: PropertyKey[]) => lineOfPath(doc, lines, path);
    const described = result.error.issues.flatMap((issue) => describeIssue(issue, raw, file, lineOf));
    throw new ScoreError(file, [...new Set(described)]);
  }
  return scoreFrom(result.data, file);
}

/** The checked file as the composer uses it: every rule with its settings filled in. */
function scoreFrom(data: ScoreFile, file: string): Score {
  const layer = (name: (typeof LAYER_NAMES)[number]): ScoreLayer => {
    const { defaults, rules } = data[name];
    return {
      defaults,
      rules: rules.map((rule, index) => ({
        layer: name,
        index,
        label: ruleLabel(name, index, rule.name),
        when: rule.when ?? {},
        tags: rule.tags,
        brightness: rule.brightness ?? null,
        gain: rule.gain ?? defaults.gain,
        fadeS: rule.fadeS ?? defaults.fadeS,
        maxVoices: rule.maxVoices ?? defaults.maxVoices,
        minHoldS: rule.minHoldS ?? defaults.minHoldS,
        repeatWindowS: rule.repeatWindowS ?? defaults.repeatWindowS,
        voicesPerCover: rule.voicesPerCover ?? defaults.voicesPerCover,
      })),
    };
  };
  return { source: file, layers: { coarse: layer('coarse'), middle: layer('middle'), fine: layer('fine') }, reverb: data.reverb ?? null };
}

/** `middle rule 3 ("overcast")`: rules counted from 1, as a reader counts them. */
export function ruleLabel(layer: string, index: number, name?: string): string {
  return `${layer} rule ${index + 1}${name ? ` (${JSON.stringify(name)})` : ''}`;
}

function describeIssue(
  issue: z.core.$ZodIssue,
  raw: unknown,
  file: string,
  lineOf: (path: PropertyKey[]) => number | undefined,
): string[] {
  // A threshold written as a number is checked as { enter, leave }, and one name as a list of
  // one: name what was written.
  let path = [...issue.path];
  const written = typeof valueAt(raw, path.slice(0, -1));
  if (path.length > 0 && (written === 'number' || written === 'string')) path = path.slice(0, -1);

  const where = (keyPath: PropertyKey[]) => {
    const line = lineOf(keyPath);
    const place = placeOfPath(raw, keyPath);
    return `${file}${line ? `:${line}` : ''}${place ? ` ${place}` : ''}`;
  };

  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `${where([...path, key])}: ${unknownKey(path, key)}`);
  }
  const field = fieldPath(path);
  if (issue.input === undefined) return [`${where(path)}: ${field ? `${field}: ` : ''}missing`];
  if (path.length === 0) {
    return [`${file}: expected the layers ${LAYER_NAMES.join(', ')} at the top level (got ${shown(issue.input)})`];
  }
  return [`${where(path)}: ${field ? `${field}: ` : ''}${issue.message} (got ${shown(issue.input)})`];
}

/** What an unknown key is not, and what would be allowed in its place. */
function unknownKey(parent: PropertyKey[], key: string): string {
  if (parent.length === 0) return `${key}: not a layer (the layers are ${LAYER_NAMES.join(', ')})`;
  if (parent.length === 1) return `${key}: not a part of a layer (a layer has defaults and rules)`;
  if (parent[1] === 'defaults') return `${key}: not a setting (settings: ${SETTING_NAMES.join(', ')})`;

  const inWhen = parent.at(-1) === 'when';
  if (!inWhen) return `${key}: not a rule key (a rule has name, when, tags, ${SETTING_NAMES.join(', ')}; coarse rules also brightness)`;
  const prefix = `${fieldPath([...parent, key])}: not a condition`;
  const fine = parent[0] === 'fine';
  if (!fine && EVENT_CONDITION_NAMES.includes(key)) {
    return `${prefix} of the ${String(parent[0])} layer (only fine rules answer events)`;
  }
  const known = fine ? [...WORLD_CONDITION_NAMES, ...EVENT_CONDITION_NAMES] : WORLD_CONDITION_NAMES;
  return `${prefix} (conditions: ${known.join(', ')})`;
}

/** `middle rule 3 ("overcast")`, `fine defaults`, or '' above the layers. */
function placeOfPath(raw: unknown, path: PropertyKey[]): string {
  const [layer, part, index] = path;
  if (typeof layer !== 'string' || !(LAYER_NAMES as readonly string[]).includes(layer)) return '';
  if (part === 'defaults') return `${layer} defaults`;
  if (part !== 'rules' || typeof index !== 'number') return layer;
  const name = (valueAt(raw, [layer, 'rules', index, 'name']) as unknown) ?? undefined;
  return ruleLabel(layer, index, typeof name === 'string' ? name : undefined);
}

/** The key path inside a rule or the defaults (`when.coverAtLeast`), '' for the rule itself. */
function fieldPath(path: PropertyKey[]): string {
  const inner = path[1] === 'rules' ? path.slice(3) : path.slice(2);
  return inner.map(String).join('.');
}

/** The layer and rule whose text holds `offset`, for syntax errors; '' when none does. */
function placeOfOffset(doc: Document, offset: number): string {
  if (!isMap(doc.contents)) return '';
  for (const pair of doc.contents.items) {
    const layer = (pair.key as { value?: unknown } | null)?.value;
    if (typeof layer !== 'string' || !isMap(pair.value)) continue;
    const range = pair.value.range;
    if (range && (offset < range[0] || offset > range[2])) continue;
    const rules = pair.value.get('rules', true);
    if (isSeq(rules)) {
      const index = rules.items.findIndex((item) => {
        const itemRange = (item as { range?: [number, number, number] }).range;
        return itemRange !== undefined && offset >= itemRange[0] && offset <= itemRange[2];
      });
      if (index >= 0) {
        const rule = rules.items[index];
        const name = isMap(rule) ? rule.get('name') : undefined;
        return ruleLabel(layer, index, typeof name === 'string' ? name : undefined);
      }
    }
    if (range) return layer;
  }
  return '';
}

/** The line of the key at `path` (or of its value, or of its nearest ancestor found). */
function lineOfPath(doc: Document, lines: LineCounter, path: PropertyKey[]): number | undefined {
  const key = typeof path.at(-1) === 'string' ? keyLine(doc, lines, path) : undefined;
  if (key) return key;
  for (let depth = path.length; depth > 0; depth--) {
    const node = doc.getIn(path.slice(0, depth) as unknown[], true) as { range?: [number] } | undefined;
    if (node?.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}

/** The line of the key itself, for a key whose value is missing or unknown. */
function keyLine(doc: Document, lines: LineCounter, path: PropertyKey[]): number | undefined {
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1) as unknown[], true);
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((item) => (item.key as { value?: unknown } | null)?.value === path.at(-1));
  const start = (pair?.key as { range?: [number] } | null)?.range?.[0];
  return start === undefined ? undefined : lines.linePos(start).line;
}

function valueAt(value: unknown, path: PropertyKey[]): unknown {
  let node = value;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
