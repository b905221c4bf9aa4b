/**
 * Shared helpers of the fault suite: temp folders, a bus that keeps what it carried, JSON
 * surgery on real provider replies, and a deep search for NaN and Infinity in payloads.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { EventBus } from '../../src/bus/bus.js';
import type { SkyEvent, SkyEventName } from '../../src/bus/events.js';
import { silentLogger } from '../../src/log.js';

/** Runs `body` with a fresh temp folder, removed afterwards whatever happens. */
export async function withTempDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'skychoir-faults-'));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Every event name; a Record, so that a name added to the bus and missing here fails the typecheck. */
const EVENT_NAMES: Record<SkyEventName, true> = {
  'weather.observed': true, 'weather.rejected': true, 'sun.phase.changed': true, 'sky.observed': true,
  'bird.seen': true, 'flock.started': true, 'flock.updated': true, 'flock.ended': true, 'aircraft.seen': true,
  'camera.status.changed': true, 'frame.rejected': true, 'source.status.changed': true,
  'pressure.trend.changed': true, 'temperature.trend.changed': true, 'precipitation.started': true,
  'precipitation.stopped': true, 'wind.gusts.started': true, 'wind.gusts.stopped': true, 'fog.formed': true,
  'fog.cleared': true,
};
export const ALL_EVENT_NAMES = Object.keys(EVENT_NAMES) as SkyEventName[];

/** A bus whose events of the given names are kept, in order, in `events`. */
export function recordingBus(names: SkyEventName[], log: Logger = silentLogger()): { bus: EventBus; events: SkyEvent[] } {
  const bus = new EventBus(log);
  const events: SkyEvent[] = [];
  for (const name of names) {
    bus.on(name, 'fault-suite', (payload) => {
      events.push({ name, payload } as SkyEvent);
    });
  }
  return { bus, events };
}

/** The events of one name, typed. */
export function named<Name extends SkyEventName>(events: SkyEvent[], name: Name): Extract<SkyEvent, { name: Name }>[] {
  return events.filter((event): event is Extract<SkyEvent, { name: Name }> => event.name === name);
}

/** Paths (as `a.b[2]`) of every number in `value` that is NaN or infinite. */
export function nonFiniteNumbers(value: unknown, path = ''): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path || '(value)'];
  if (value === null || typeof value !== 'object') return [];
  if (ArrayBuffer.isView(value)) return [];
  if (Array.isArray(value)) return value.flatMap((item, i) => nonFiniteNumbers(item, `${path}[${i}]`));
  return Object.entries(value).flatMap(([key, item]) => nonFiniteNumbers(item, path ? `${path}.${key}` : key));
}

/** A deep copy of parsed JSON. */
export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

type Json = Record<string, unknown> | unknown[];

/** The container holding the last key of `path` (keys as strings, indexes as numbers). */
function parentOf(root: Json, path: (string | number)[]): { parent: Json; key: string | number } {
  let node: unknown = root;
  for (const key of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[key];
  if (node === null || typeof node !== 'object') throw new Error(`no container at ${path.join('.')}`);
  return { parent: node as Json, key: path[path.length - 1]! };
}

/** A copy of `root` with the value at `path` replaced by `value`. */
export function withValue(root: Json, path: (string | number)[], value: unknown): Json {
  const copy = cloneJson(root);
  const { parent, key } = parentOf(copy, path);
  (parent as Record<string | number, unknown>)[key] = value;
  return copy;
}

/** A copy of `root` without the key at `path`. */
export function without(root: Json, path: (string | number)[]): Json {
  const copy = cloneJson(root);
  const { parent, key } = parentOf(copy, path);
  delete (parent as Record<string | number, unknown>)[key];
  return copy;
}
