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
/** A point in a frame, as fractions of the frame's width and height (0..1, top-left origin). */
export interface FramePoint {
  x: number;
  y: number;
}

/**
 * How a camera is, as the bus tells it. The link states come from the frame source:
 * `online` frames arrive; `stalled` the source is connected (or its process runs) but no
 * frame came within the stall timeout, the "idle" camera; `offline` it could not connect
 * or its process died, and it is being retried with backoff. The image states come from
 * the frames themselves while the link is online: `night` too dark to see the sky,
 * `obstructed` most of the view covered (a lens cap, a wet or dirty lens, a wall),
 * `frozen` the same picture over and over (a camera whose encoder hangs).
 */
export type CameraStatus = 'online' | 'stalled' | 'offline' | 'night' | 'obstructed' | 'frozen';

/** A flock as seen in one frame. Heading is in degrees clockwise from the frame's right (+x). */
export interface FlockState {
  /** Names the flock across its started, updated and ended events. */
  flockId: string;
  /** Birds in the flock: the median count of its latest few sightings, so one missed bird does not change it. */
  size: number;
  centroid: FramePoint;
  /** Null until the flock has been seen in two frames. */
  headingDeg: number | null;
  /** Frame widths per second; null until the flock has been seen in two frames. */
  speed: number | null;
}

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
  /**
   * What the camera saw of the sky, smoothed over the last few frames. Cover and
   * brightness are 0..1; `cloudTypes` maps each cloud class of the classifier to its
   * probability (summing to 1), or is null when no classifier runs.
   */
  'sky.observed': {
    at: number;
    frameId: string;
    coverFraction: number;
    brightness: number;
    cloudTypes: Record<string, number> | null;
  };
  /** A lone bird, told once when it appears (small flying objects against the sky). */
  'bird.seen': { at: number; frameId: string; count: number; detections: Detection[] };
  /** Several birds moving together, confirmed over consecutive frames. */
  'flock.started': FlockState & { at: number; frameId: string };
  /** The flock moved or changed size noticeably; not told for every frame. */
  'flock.updated': FlockState & { at: number; frameId: string };
  /** The flock has been gone long enough to be over. */
  'flock.ended': { at: number; flockId: string; durationMs: number; peakSize: number };
  /** An aircraft (aeroplane-labelled, not bird-like), told once when it appears. */
  'aircraft.seen': { at: number; frameId: string; detections: Detection[] };
  /** A camera's link or picture changed; `camera` is its masked URL or name. */
  'camera.status.changed': {
    at: number;
    camera: string;
    status: CameraStatus;
    previous: CameraStatus | null;
    reason?: string;
  };
  /** A frame could not be analysed (corrupt image, detector failure); nothing else changes. */
  'frame.rejected': { at: number; frameId: string; reason: string };
  /** A source or stage changed health. */
  'source.status.changed': { at: number; source: string; status: 'online' | 'degraded' | 'offline'; reason?: string };
}

export type SkyEventName = keyof SkyEvents;

/** An event with its name, as recorded or bridged. */
export type SkyEvent = { [Name in SkyEventName]: { name: Name; payload: SkyEvents[Name] } }[SkyEventName];
