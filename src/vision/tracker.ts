/**
 * Turns per-frame detections into the few events the composer answers: `bird.seen` once
 * when a lone bird appears, `flock.started / updated / ended` for several birds moving
 * together (see flocks.ts for the lifecycle and its hysteresis), `aircraft.seen` once per
 * aircraft appearance. The tracker returns events for the caller to publish and never
 * tells anything per frame.
 *
 * Pure and clock-free: time is each frame's `at` (epoch ms), or the instant given to
 * `advance`. Detections are linked across frames by nearest centre within a gate that
 * grows with the time between frames (`gateWidths` + `maxSpeed` x elapsed). A bird (or
 * aircraft) unseen for `birdGoneMs` (`aircraftGoneMs`) is forgotten: seen again, it is
 * told again. Frames further apart than the gone times are thus independent: in a
 * recording with frames minutes apart every bird is told in every frame it is in, and a
 * group of `flockMinSize` birds starts a flock at once (nothing to confirm against) that
 * ends `endAfterMs` after that frame, told when the next frame or `advance` comes.
 * Frames older than the last one are ignored (no events).
 */
import type { Detection, FramePoint, SkyEvent } from '../bus/events.js';
import { FlockLifecycle } from './flocks.js';
import { centreOf, groupBirds, matchNearest } from './track-geometry.js';

/** The events a tracker produces, with their payloads, ready to publish. */
export type TrackerEvent = Extract<
  SkyEvent,
  { name: 'bird.seen' | 'flock.started' | 'flock.updated' | 'flock.ended' | 'aircraft.seen' }
>;

/** One analysed frame's findings. Boxes are frame fractions. */
export interface TrackedFrame {
  /** Capture instant, epoch ms. */
  at: number;
  frameId: string;
  birds: readonly Detection[];
  aircraft: readonly Detection[];
}

export interface TrackerOptions {
  /** Birds in a group for it to be a flock. Default 3. */
  flockMinSize: number;
  /** A candidate starts when seen in this many of the last `confirmWindow` frames. Default 2 of 3. */
  confirmFrames: number;
  confirmWindow: number;
  /** A flock unseen this long (ms) has ended. Default 4 000. */
  endAfterMs: number;
  /** Least time (ms) between a flock's published states. Default 2 000. */
  updateMinIntervalMs: number;
  /** An update needs the median size to change by this fraction (at least one bird)... Default 0.25. */
  updateSizeChangeFraction: number;
  /** ...or the centroid to move this far, frame widths... Default 0.1. */
  updateMoveWidths: number;
  /** ...or the heading to turn this much, degrees. Default 30. */
  updateHeadingChangeDeg: number;
  /** Birds whose centres are this close (frame widths) to another member are one group. Default 0.2. */
  groupLinkWidths: number;
  /** Link gate at no elapsed time, frame widths. Default 0.05. */
  gateWidths: number;
  /** Fastest plausible motion, frame widths per second; widens the gate with time. Default 0.3. */
  maxSpeed: number;
  /** A lone bird unseen this long (ms) is forgotten. Default 10 000. */
  birdGoneMs: number;
  /** An aircraft unseen this long (ms) is forgotten. Default 30 000. */
  aircraftGoneMs: number;
  /** The camera's height over width, to measure distances and headings truly. Default 1. */
  frameAspect: number;
}

export const DEFAULT_TRACKER_OPTIONS: TrackerOptions = {
  flockMinSize: 3,
  confirmFrames: 2,
  confirmWindow: 3,
  endAfterMs: 4_000,
  updateMinIntervalMs: 2_000,
  updateSizeChangeFraction: 0.25,
  updateMoveWidths: 0.1,
  updateHeadingChangeDeg: 30,
  groupLinkWidths: 0.2,
  gateWidths: 0.05,
  maxSpeed: 0.3,
  birdGoneMs: 10_000,
  aircraftGoneMs: 30_000,
  frameAspect: 1,
};

/** Something seen before: where and when last. */
interface Sighted {
  point: FramePoint;
  lastAt: number;
}

export class BirdTracker {
  private readonly options: TrackerOptions;
  private readonly flocks: FlockLifecycle;
  private birds: Sighted[] = [];
  private aircraft: Sighted[] = [];
  private lastFrameAt: number | null = null;
  private frameIndex = 0;

  constructor(options: Partial<TrackerOptions> = {}) {
    this.options = { ...DEFAULT_TRACKER_OPTIONS, ...options };
    this.flocks = new FlockLifecycle(this.options);
  }

  /** The events one frame gives, ends of flocks gone by its instant first. */
  observe(frame: TrackedFrame): TrackerEvent[] {
    if (this.lastFrameAt !== null && frame.at < this.lastFrameAt) return [];

    const events = this.advance(frame.at);
    const isolated = this.lastFrameAt === null || frame.at - this.lastFrameAt > this.options.endAfterMs;
    this.lastFrameAt = frame.at;
    this.frameIndex++;

    const newAircraft = this.sightNew('aircraft', frame.aircraft, frame.at);
    if (newAircraft.length > 0) {
      const payload = { at: frame.at, frameId: frame.frameId, detections: newAircraft };
      events.push({ name: 'aircraft.seen', payload });
    }

    const groups = groupBirds(frame.birds, this.options.groupLinkWidths, this.options.frameAspect);
    const flockFrame = { at: frame.at, frameId: frame.frameId, frameIndex: this.frameIndex, isolated };
    const { events: flockEvents, loose } = this.flocks.observe(flockFrame, groups);

    const newBirds = this.sightNew('birds', loose.flatMap((group) => group.members), frame.at);
    if (newBirds.length > 0) {
      const payload = { at: frame.at, frameId: frame.frameId, count: newBirds.length, detections: newBirds };
      events.push({ name: 'bird.seen', payload });
    }

    return [...events, ...flockEvents];
  }

  /**
   * The events due by `at` without a frame (flocks that ended), for a caller whose frames
   * stopped (a dark or offline camera). Forgets birds and aircraft gone by then.
   */
  advance(at: number): TrackerEvent[] {
    this.birds = this.birds.filter((bird) => at - bird.lastAt < this.options.birdGoneMs);
    this.aircraft = this.aircraft.filter((craft) => at - craft.lastAt < this.options.aircraftGoneMs);
    return this.flocks.expire(at);
  }

  /** Links detections to what was seen before; returns those seen for the first time. */
  private sightNew(
    kind: 'birds' | 'aircraft',
    detections: readonly Detection[],
    at: number,
  ): Detection[] {
    const known = this[kind];
    const points = detections.map(centreOf);
    const gated = known.map((seen) => ({
      point: seen.point,
      gateWidths: this.options.gateWidths + (this.options.maxSpeed * (at - seen.lastAt)) / 1000,
    }));
    const matched = matchNearest(gated, points, this.options.frameAspect);

    for (const [trackIndex, pointIndex] of matched) {
      known[trackIndex] = { point: points[pointIndex]!, lastAt: at };
    }
    const matchedPoints = new Set(matched.values());
    const fresh = detections.filter((_, index) => !matchedPoints.has(index));
    known.push(...fresh.map((detection) => ({ point: centreOf(detection), lastAt: at })));
    return fresh;
  }
}
