import type { SkyEventName } from './events.js';

/**
 * Every event name of the bus, at run time: the MQTT bridge forwards each of these and takes
 * only these from MQTT; the render log and the metrics follow them all. The type check below
 * fails when events.ts gains an event this list lacks, so the two cannot drift apart silently.
 */
export const SKY_EVENT_NAMES = [
  'weather.observed',
  'weather.rejected',
  'sun.phase.changed',
  'sky.observed',
  'bird.seen',
  'flock.started',
  'flock.updated',
  'flock.ended',
  'aircraft.seen',
  'camera.status.changed',
  'frame.rejected',
  'source.status.changed',
  'pressure.trend.changed',
  'temperature.trend.changed',
  'precipitation.started',
  'precipitation.stopped',
  'wind.gusts.started',
  'wind.gusts.stopped',
  'fog.formed',
  'fog.cleared',
] as const satisfies readonly SkyEventName[];

type Unlisted = Exclude<SkyEventName, (typeof SKY_EVENT_NAMES)[number]>;
/** Compile-time guard: names an event of events.ts missing from SKY_EVENT_NAMES. */
const everyEventListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyEventListed;

const known: ReadonlySet<string> = new Set(SKY_EVENT_NAMES);

export function isSkyEventName(name: string): name is SkyEventName {
  return known.has(name);
}
