/**
 * The events that flow between the stages. Each is a past-tense fact carrying `at`,
 * the UTC instant (epoch ms) it happened: the reply's arrival, the frame's capture,
 * or the clock's time for derived facts. Producers never read the wall clock.
 */
import type { WeatherObservation } from '../weather/observation.js';
import type { SunPhase } from '../time/sun.js';
import type { DerivedEvents } from '../weather/derived.js';

/** A box in a frame, as fractions of the frame's width and height (0..1, top-left origin). */
export interface FrameBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One thing the detector saw, after decoding and suppression. */
export interface Detection {
  label: string;
  classId: number;
  score: number;
  box: FrameBox;
}

/**
 * Every event. The weather's derived facts (pressure and temperature trends, gusts, fog, and
 * the precipitation pair) are defined beside the tracker that makes them (weather/derived.ts).
 */
export type SkyEvents = CoreEvents & DerivedEvents;

interface CoreEvents {
  /** A provider reply was parsed and normalised into an observation for the current hour. */
  'weather.observed': { at: number; provider: string; observation: WeatherObservation };
  /** A provider reply could not be used; the last good observation stays in force. */
  'weather.rejected': { at: number; provider: string; reason: string };
  'sun.phase.changed': { at: number; phase: SunPhase; previous: SunPhase | null; elevationDeg: number };
  /** What the camera saw of the sky in one frame. Cover and brightness are 0..1. */
  'sky.observed': { at: number; frameId: string; coverFraction: number; brightness: number };
  /** One or more bird candidates in a frame (small flying objects against the sky). */
  'bird.seen': { at: number; frameId: string; count: number; detections: Detection[] };
  /** A frame could not be analysed (corrupt image, detector failure); nothing else changes. */
  'frame.rejected': { at: number; frameId: string; reason: string };
  /** A source or stage changed health. */
  'source.status.changed': { at: number; source: string; status: 'online' | 'degraded' | 'offline'; reason?: string };
}

export type SkyEventName = keyof SkyEvents;

/** An event with its name, as recorded or bridged. */
export type SkyEvent = { [Name in SkyEventName]: { name: Name; payload: SkyEvents[Name] } }[SkyEventName];
