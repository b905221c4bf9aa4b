/**
 * Geometry shared by the bird and flock trackers. Points are frame fractions (0..1,
 * top-left origin); distances and speeds are in frame widths, the vertical fraction
 * scaled by the frame's aspect (height / width) so that both axes count alike.
 */
import type { Detection, FramePoint } from '../bus/events.js';

/** Birds seen close together in one frame. */
export interface BirdGroup {
  members: Detection[];
  /** Mean of the members' box centres. */
  centroid: FramePoint;
}

export function centreOf(detection: Detection): FramePoint {
  const { box } = detection;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Distance between two points, in frame widths. */
export function distanceWidths(a: FramePoint, b: FramePoint, aspect: number): number {
  return Math.hypot(b.x - a.x, (b.y - a.y) * aspect);
}

export function meanPoint(points: readonly FramePoint[]): FramePoint {
  const x = points.reduce((sum, point) => sum + point.x, 0) / points.length;
  const y = points.reduce((sum, point) => sum + point.y, 0) / points.length;
  return { x, y };
}

/**
 * Heading (degrees clockwise from the frame's +x, 0..360, since y grows downwards) and
 * speed (frame widths per second) of a move from `from` to `to` over `elapsedMs`; null
 * when no time passed.
 */
export function motionBetween(
  from: FramePoint,
  to: FramePoint,
  elapsedMs: number,
  aspect: number,
): { headingDeg: number; speed: number } | null {
  if (!(elapsedMs > 0)) return null;

  const dx = to.x - from.x;
  const dy = (to.y - from.y) * aspect;
  const headingDeg = ((Math.atan2(dy, dx) * 180) / Math.PI + 360) % 360;
  return { headingDeg, speed: Math.hypot(dx, dy) / (elapsedMs / 1000) };
}

/** The smaller angle between two headings, 0..180 degrees. */
export function headingChangeDeg(a: number, b: number): number {
  const difference = Math.abs(a - b) % 360;
  return difference > 180 ? 360 - difference : difference;
}

/**
 * Single-linkage groups: birds whose centres lie within `linkWidths` of some other member
 * join one group. Groups come largest first, members in input order.
 */
export function groupBirds(
  birds: readonly Detection[],
  linkWidths: number,
  aspect: number,
): BirdGroup[] {
  const parent = birds.map((_, index) => index);
  const root = (index: number): number =>
    parent[index] === index ? index : (parent[index] = root(parent[index]!));
  const centres = birds.map(centreOf);

  for (let a = 0; a < birds.length; a++) {
    for (let b = a + 1; b < birds.length; b++) {
      if (distanceWidths(centres[a]!, centres[b]!, aspect) <= linkWidths) parent[root(a)] = root(b);
    }
  }

  const byRoot = new Map<number, number[]>();
  birds.forEach((_, index) => byRoot.set(root(index), [...(byRoot.get(root(index)) ?? []), index]));
  return [...byRoot.values()]
    .map((indices) => ({
      members: indices.map((index) => birds[index]!),
      centroid: meanPoint(indices.map((index) => centres[index]!)),
    }))
    .sort((a, b) => b.members.length - a.members.length);
}

/**
 * Greedy nearest-first pairing of tracks and points: each pair closer than the track's
 * gate, closest pairs first, each track and point used once. Returns point index per
 * track index (absent when unmatched).
 */
export function matchNearest(
  tracks: ReadonlyArray<{ point: FramePoint; gateWidths: number }>,
  points: readonly FramePoint[],
  aspect: number,
): Map<number, number> {
  const pairs: Array<{ track: number; point: number; distance: number }> = [];
  tracks.forEach((track, trackIndex) =>
    points.forEach((point, pointIndex) => {
      const distance = distanceWidths(track.point, point, aspect);
      if (distance <= track.gateWidths) pairs.push({ track: trackIndex, point: pointIndex, distance });
    }),
  );

  const matched = new Map<number, number>();
  const usedPoints = new Set<number>();
  for (const pair of pairs.sort((a, b) => a.distance - b.distance)) {
    if (matched.has(pair.track) || usedPoints.has(pair.point)) continue;
    matched.set(pair.track, pair.point);
    usedPoints.add(pair.point);
  }
  return matched;
}
