/**
 * How a flock is sung: its size sets the number of accent voices, its position where they
 * start in the stereo field, its heading and speed where they move to over the accent.
 * Pure functions of the flock and the accent: the same flock always gives the same voices.
 */
import { clampPan, type PanPoint } from '../audio/pan-path.js';
import type { SkyEvents } from '../bus/events.js';
import type { AccentEvent } from './score.js';

/** A flock's accent event, carrying what its voices are shaped by. */
export interface FlockAccent extends AccentEvent {
  flock: FlockShape;
}

/** The accent event of a flock.started: its size, centroid x, heading and speed. */
export function flockAccent(event: SkyEvents['flock.started']): FlockAccent {
  const flock = { size: event.size, x: event.centroid.x, headingDeg: event.headingDeg, speed: event.speed };
  return { kind: 'flock', birds: event.size, flock };
}

/** The flock an accent event carries, if it is a flock's. */
export function flockOf(event: AccentEvent): FlockShape | undefined {
  return 'flock' in event ? (event as FlockAccent).flock : undefined;
}

/** Voices for a flock of `size` birds: 1 for 1-2, 2 for 3-5, 3 for 6-11, 4 for 12 or more. */
export function flockVoiceCount(size: number): number {
  if (size >= 12) return 4;
  if (size >= 6) return 3;
  if (size >= 3) return 2;
  return 1;
}

/** Audio seconds each further voice enters after the one before (a loose, choral entry). */
export const FLOCK_ENTRY_STAGGER_S = 0.035;

/** Pan units between neighbouring voices about the centroid: 0, left, right, further left, further right... */
const SPREAD_STEP = 0.12;
/** Each further voice's gain against the one before. */
const GAIN_STEP = 0.88;

/** One voice of a flock's accent, relative to the accent's start. */
export interface FlockVoice {
  /** Index into the stems chosen for the accent (a stem is reused when fewer were chosen). */
  stemIndex: number;
  /** Output frames after the accent's start frame. */
  delayFrames: number;
  /** Linear gain: the rule's gain, 0.88 of the one before for each further voice, over the fourth root of the count (four voices sound about 1.4 dB louder than one). */
  gain: number;
  /** Where the voice starts and ends, -1..1, over its stem's length. */
  panFrom: number;
  panTo: number;
}

export interface FlockShape {
  /** Birds in the flock. */
  size: number;
  /** Horizontal centroid, 0..1 across the frame (left to right). */
  x: number;
  /** Degrees clockwise from the frame's right (+x); null while unknown (no movement). */
  headingDeg: number | null;
  /** Frame widths per second; null while unknown (no movement). */
  speed: number | null;
}

/**
 * The `count` voices of a flock's accent (the composer gives flockVoiceCount(size), a voice more
 * for a rare flock, or the rule's maxVoices if more) over `stemCount` stems (at least one), each
 * entering FLOCK_ENTRY_STAGGER_S after the one before, starting about the centroid
 * (pan = 2x - 1, spread 0.12 a voice to either side) and moving with the flock's horizontal
 * velocity (2 pan units per frame width) for `accentS` audio seconds, clamped to -1..1.
 */
export function flockVoices(flock: FlockShape, count: number, gain: number, stemCount: number, accentS: number, framesPerSecond: number): FlockVoice[] {
  const centre = 2 * flock.x - 1;
  const velocity = flock.headingDeg === null || flock.speed === null ? 0 : 2 * flock.speed * Math.cos((flock.headingDeg * Math.PI) / 180);
  const loudness = gain / Math.pow(count, 0.25);

  return Array.from({ length: count }, (_, index) => {
    const side = index % 2 === 1 ? -1 : 1;
    const panFrom = clampPan(centre + side * Math.ceil(index / 2) * SPREAD_STEP);
    return {
      stemIndex: index % Math.max(1, stemCount),
      delayFrames: Math.round(index * FLOCK_ENTRY_STAGGER_S * framesPerSecond),
      gain: loudness * GAIN_STEP ** index,
      panFrom,
      panTo: clampPan(panFrom + velocity * accentS),
    };
  });
}

/** A straight pan path from `from` at `startFrame` to `to` after `frames`. */
export function panLine(startFrame: number, frames: number, from: number, to: number): PanPoint[] {
  return [
    { frame: startFrame, pan: from },
    { frame: startFrame + frames, pan: to },
  ];
}

