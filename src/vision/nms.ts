import type { Detection, FrameBox } from '../bus/events.js';

/** Intersection over union of two boxes (same units); 0 when either has no area. */
export function intersectionOverUnion(a: FrameBox, b: FrameBox): number {
  const left = Math.max(a.x, b.x);
  const top = Math.max(a.y, b.y);
  const right = Math.min(a.x + a.width, b.x + b.width);
  const bottom = Math.min(a.y + a.height, b.y + b.height);
  const intersection = Math.max(0, right - left) * Math.max(0, bottom - top);

  const union = a.width * a.height + b.width * b.height - intersection;
  return union > 0 ? intersection / union : 0;
}

export interface NmsOptions {
  /** A box overlapping a better one by more than this IoU (0..1) is dropped. */
  iouMax: number;
  /** Suppress across classes (true) or only within a class (false). */
  classAgnostic: boolean;
}

/**
 * Greedy non-maximum suppression: keeps the best-scoring box of each overlapping group.
 * Returns a new array, best score first; the input is not modified. O(n²), which is fine
 * for the few dozen candidates a frame yields after the score floor.
 */
export function nonMaxSuppression(
  detections: readonly Detection[],
  options: NmsOptions,
): Detection[] {
  const byScore = [...detections].sort((a, b) => b.score - a.score);
  const kept: Detection[] = [];

  for (const candidate of byScore) {
    const suppressed = kept.some(
      (better) =>
        (options.classAgnostic || better.classId === candidate.classId) &&
        intersectionOverUnion(better.box, candidate.box) > options.iouMax,
    );
    if (!suppressed) kept.push(candidate);
  }

  return kept;
}
