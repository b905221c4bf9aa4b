/**
 * The flock lifecycle: groups of birds become flocks that start once, update now and then,
 * and end once. A group of at least `flockMinSize` birds is a candidate; it starts a flock
 * when seen in `confirmFrames` of the last `confirmWindow` frames, or at once when its
 * frame has no other frame within `endAfterMs` before it (a sparse recording, frames
 * minutes apart: there is nothing to confirm against, and each such frame stands alone).
 * A started flock claims every group near where it is expected to be, even a single bird,
 * so a frame or two of missed detections neither ends it nor makes its birds lone birds;
 * it ends only when unseen for `endAfterMs`. Its size is the median of its last few
 * sightings. Caveat: a candidate seen in one frame only among close frames is never told.
 */
import type { FramePoint } from '../bus/events.js';
import type { TrackerEvent, TrackerOptions } from './tracker.js';
import {
  centreOf,
  distanceWidths,
  headingChangeDeg,
  meanPoint,
  motionBetween,
  type BirdGroup,
} from './track-geometry.js';

interface Sighting {
  at: number;
  frameIndex: number;
  size: number;
  centroid: FramePoint;
  /** Farthest member from the centroid, frame widths. */
  radius: number;
}

interface FlockTrack {
  /** Set when the flock starts. */
  id: string | null;
  firstAt: number;
  /** Newest last, at most {@link SIGHTINGS_KEPT}. */
  sightings: Sighting[];
  peakSize: number;
  published: { at: number; size: number; centroid: FramePoint; headingDeg: number | null } | null;
}

/** The frame being looked at, as the lifecycle needs it. */
export interface FlockFrame {
  at: number;
  frameId: string;
  /** Counts analysed frames; the confirmation window is in frames. */
  frameIndex: number;
  /** No other frame within `endAfterMs` before this one. */
  isolated: boolean;
}

/** Sightings kept per flock: for the median size and the heading. */
const SIGHTINGS_KEPT = 5;
/**
 * A flock whose centroid moved less than this (frame widths) over its kept sightings has no
 * heading: the jitter of a hovering flock, or of a bird missed here and there, is no direction.
 */
const HEADING_MOVE_MIN_WIDTHS = 0.03;

export class FlockLifecycle {
  private flocks: FlockTrack[] = [];
  private started = 0;

  constructor(private readonly options: TrackerOptions) {}

  /** Ends the started flocks unseen for `endAfterMs` by `at`; drops stale candidates. */
  expire(at: number): TrackerEvent[] {
    const events: TrackerEvent[] = [];
    this.flocks = this.flocks.filter((flock) => {
      const lastAt = flock.sightings.at(-1)!.at;
      if (at - lastAt < this.options.endAfterMs) return true;
      if (flock.id === null) return false;

      const payload = {
        at: lastAt + this.options.endAfterMs,
        flockId: flock.id,
        durationMs: lastAt - flock.firstAt,
        peakSize: flock.peakSize,
      };
      events.push({ name: 'flock.ended', payload });
      return false;
    });
    return events;
  }

  /**
   * Takes one frame's groups (largest first); returns the events and the groups that no
   * flock or candidate took (their birds are lone birds).
   */
  observe(
    frame: FlockFrame,
    groups: readonly BirdGroup[],
  ): { events: TrackerEvent[]; loose: BirdGroup[] } {
    const claims = new Map<FlockTrack, BirdGroup[]>();
    let unclaimed = [...groups];

    for (const flock of this.byStartedFirst()) {
      const last = flock.sightings.at(-1)!;
      const expected = this.expectedCentroid(flock, frame.at);
      const gate = this.gateWidths(frame.at - last.at) + (flock.id !== null ? last.radius : 0);
      const taken = unclaimed.filter((group) =>
        (flock.id !== null || group.members.length >= this.options.flockMinSize) &&
        distanceWidths(expected, group.centroid, this.options.frameAspect) <= gate,
      );
      if (flock.id === null) taken.splice(1);
      if (taken.length === 0) continue;

      claims.set(flock, taken);
      unclaimed = unclaimed.filter((group) => !taken.includes(group));
    }

    const newGroups = unclaimed.filter((group) => group.members.length >= this.options.flockMinSize);
    for (const group of newGroups) {
      const flock: FlockTrack = {
        id: null,
        firstAt: frame.at,
        sightings: [],
        peakSize: 0,
        published: null,
      };
      this.flocks.push(flock);
      claims.set(flock, [group]);
      unclaimed = unclaimed.filter((other) => other !== group);
    }

    const events: TrackerEvent[] = [];
    for (const [flock, taken] of claims) {
      this.record(flock, frame, taken);
      const event = flock.id === null ? this.confirmation(flock, frame) : this.update(flock, frame);
      if (event) events.push(event);
    }

    this.dropUnconfirmable(frame.frameIndex);
    return { events, loose: unclaimed };
  }

  private byStartedFirst(): FlockTrack[] {
    return [...this.flocks].sort((a, b) => Number(b.id !== null) - Number(a.id !== null));
  }

  private record(flock: FlockTrack, frame: FlockFrame, taken: readonly BirdGroup[]): void {
    const centres = taken.flatMap((group) => group.members.map(centreOf));
    const centroid = meanPoint(centres);
    const aspect = this.options.frameAspect;
    const radius = Math.max(...centres.map((centre) => distanceWidths(centroid, centre, aspect)));
    const { at, frameIndex } = frame;
    const sighting = { at, frameIndex, size: centres.length, centroid, radius };
    flock.sightings = [...flock.sightings, sighting].slice(-SIGHTINGS_KEPT);
    if (flock.id !== null) flock.peakSize = Math.max(flock.peakSize, this.state(flock).size);
  }

  private confirmation(flock: FlockTrack, frame: FlockFrame): TrackerEvent | null {
    const windowStart = frame.frameIndex - this.options.confirmWindow;
    const recent = flock.sightings.filter((sighting) => sighting.frameIndex > windowStart).length;
    if (!frame.isolated && recent < this.options.confirmFrames) return null;

    flock.id = `flock-${++this.started}`;
    const state = this.state(flock);
    flock.peakSize = state.size;
    flock.published = { at: frame.at, ...state };
    const payload = { at: frame.at, frameId: frame.frameId, flockId: flock.id, ...state };
    return { name: 'flock.started', payload };
  }

  private update(flock: FlockTrack, frame: FlockFrame): TrackerEvent | null {
    const published = flock.published!;
    const options = this.options;
    if (frame.at - published.at < options.updateMinIntervalMs) return null;

    const state = this.state(flock);
    const sizeStep = Math.max(1, options.updateSizeChangeFraction * published.size);
    const resized = Math.abs(state.size - published.size) >= sizeStep;
    const moved =
      distanceWidths(published.centroid, state.centroid, options.frameAspect) >= options.updateMoveWidths;
    const turned =
      state.headingDeg !== null &&
      (published.headingDeg === null ||
        headingChangeDeg(state.headingDeg, published.headingDeg) >= options.updateHeadingChangeDeg);
    if (!resized && !moved && !turned) return null;

    flock.published = { at: frame.at, ...state };
    const payload = { at: frame.at, frameId: frame.frameId, flockId: flock.id!, ...state };
    return { name: 'flock.updated', payload };
  }

  /**
   * Size (median of the kept sightings), latest centroid, heading and speed over the kept
   * sightings; the heading stays null while the flock has not moved noticeably.
   */
  private state(flock: FlockTrack) {
    const sizes = flock.sightings.map((sighting) => sighting.size).sort((a, b) => a - b);
    const size = sizes[Math.floor(sizes.length / 2)]!;
    const [first, last] = [flock.sightings[0]!, flock.sightings.at(-1)!];
    const aspect = this.options.frameAspect;
    const motion = motionBetween(first.centroid, last.centroid, last.at - first.at, aspect);
    const moved = distanceWidths(first.centroid, last.centroid, aspect) >= HEADING_MOVE_MIN_WIDTHS;
    return {
      size,
      centroid: last.centroid,
      headingDeg: motion && moved ? motion.headingDeg : null,
      speed: motion?.speed ?? null,
    };
  }

  /** Where the flock should be at `at`, from its last sighting and its motion so far. */
  private expectedCentroid(flock: FlockTrack, at: number): FramePoint {
    const [first, last] = [flock.sightings[0]!, flock.sightings.at(-1)!];
    const elapsed = last.at - first.at;
    if (elapsed <= 0) return last.centroid;

    const ahead = (at - last.at) / elapsed;
    return {
      x: last.centroid.x + (last.centroid.x - first.centroid.x) * ahead,
      y: last.centroid.y + (last.centroid.y - first.centroid.y) * ahead,
    };
  }

  private gateWidths(elapsedMs: number): number {
    return this.options.gateWidths + (this.options.maxSpeed * Math.max(0, elapsedMs)) / 1000;
  }

  /** Candidates not seen in the confirmation window can no longer start. */
  private dropUnconfirmable(frameIndex: number): void {
    const windowStart = frameIndex - this.options.confirmWindow;
    this.flocks = this.flocks.filter(
      (flock) => flock.id !== null || flock.sightings.at(-1)!.frameIndex > windowStart,
    );
  }
}
