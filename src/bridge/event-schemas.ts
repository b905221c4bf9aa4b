import { z } from 'zod';
import type { SkyEventName, SkyEvents } from '../bus/events.js';

/**
 * What an event from another machine must look like before it reaches the local bus. Every
 * payload is an object with `at`, a finite epoch-ms instant. The events other machines are
 * likely to send (birds, flocks, aircraft, the sky, camera and source health, the sun, rain,
 * wind and fog) have their fields checked, and fields the schema does not know are dropped.
 *
 * Known shortcoming: `weather.observed`, `weather.rejected` and the two trend events are
 * checked only for `at`; their other fields are passed on as sent. A composer that takes
 * weather from another machine trusts that machine's weather stage.
 */
const instant = z.number().min(0).max(8.64e15);
const fraction = z.number().min(0).max(1);
const name = z.string().min(1).max(200);

const frameBox = z.object({ x: fraction, y: fraction, width: fraction, height: fraction });
const framePoint = z.object({ x: fraction, y: fraction });

const detection = z.object({
  label: z.string().max(100),
  classId: z.number().int().min(0),
  score: fraction,
  box: frameBox,
});

const flockState = {
  at: instant,
  frameId: name,
  flockId: name,
  size: z.number().int().min(1).max(100_000),
  centroid: framePoint,
  headingDeg: z.number().min(-360).max(360).nullable(),
  speed: z.number().min(0).nullable(),
};

const cameraStatus = z.enum(['online', 'stalled', 'offline', 'night', 'obstructed', 'frozen']);
const sunPhase = z.enum(['night', 'dawn', 'sunrise', 'day', 'golden', 'sunset', 'dusk']);
const gusts = z.object({ at: instant, gustMs: z.number().min(0), meanMs: z.number().min(0).nullable() });
const fog = z.object({ at: instant, visibilityM: z.number().min(0).nullable(), wmoCode: z.number().int().nullable() });

/** An object with at least `at`; other fields kept as sent. */
const anyEvent = z.looseObject({ at: instant });

type Schemas = { [Name in SkyEventName]: z.ZodType<SkyEvents[Name]> };

const schemas: Schemas = {
  'bird.seen': z.object({ at: instant, frameId: name, count: z.number().int().min(1), detections: z.array(detection).max(1000) }),
  'flock.started': z.object(flockState),
  'flock.updated': z.object(flockState),
  'flock.ended': z.object({ at: instant, flockId: name, durationMs: z.number().min(0), peakSize: z.number().int().min(1) }),
  'aircraft.seen': z.object({ at: instant, frameId: name, detections: z.array(detection).max(1000) }),
  'sky.observed': z.object({
    at: instant,
    frameId: name,
    coverFraction: fraction,
    brightness: fraction,
    cloudTypes: z.record(z.string().max(100), fraction).nullable(),
  }),
  'camera.status.changed': z.object({
    at: instant,
    camera: name,
    status: cameraStatus,
    previous: cameraStatus.nullable(),
    reason: z.string().max(1000).optional(),
  }),
  'source.status.changed': z.object({
    at: instant,
    source: name,
    status: z.enum(['online', 'degraded', 'offline']),
    reason: z.string().max(1000).optional(),
  }),
  'frame.rejected': z.object({ at: instant, frameId: name, reason: z.string().max(1000) }),
  'sun.phase.changed': z.object({
    at: instant,
    phase: sunPhase,
    previous: sunPhase.nullable(),
    elevationDeg: z.number().min(-90).max(90),
  }),
  'precipitation.started': z.object({ at: instant, kind: name, rateMmPerHour: z.number().min(0).nullable() }),
  'precipitation.stopped': z.object({ at: instant }),
  'wind.gusts.started': gusts,
  'wind.gusts.stopped': gusts,
  'fog.formed': fog,
  'fog.cleared': fog,
  'weather.observed': anyEvent as unknown as z.ZodType<SkyEvents['weather.observed']>,
  'weather.rejected': anyEvent as unknown as z.ZodType<SkyEvents['weather.rejected']>,
  'pressure.trend.changed': anyEvent as unknown as z.ZodType<SkyEvents['pressure.trend.changed']>,
  'temperature.trend.changed': anyEvent as unknown as z.ZodType<SkyEvents['temperature.trend.changed']>,
};

/** The schema of one event's payload. */
export function payloadSchema<Name extends SkyEventName>(eventName: Name): z.ZodType<SkyEvents[Name]> {
  return schemas[eventName];
}
