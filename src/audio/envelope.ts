import type { Voice } from './plan.js';

/** A point of a piecewise-linear gain envelope: `gain` at output frame `frame`. */
export interface EnvelopePoint {
  frame: number;
  gain: number;
}

/**
 * The corner points of a voice's gain envelope, in time order. Between points the gain
 * is linear; before the first point it is 0, after the last it stays at the last value.
 */
export function envelopePoints(voice: Voice): EnvelopePoint[] {
  const points: EnvelopePoint[] = [
    { frame: voice.startFrame, gain: 0 },
    { frame: voice.startFrame + voice.fadeInFrames, gain: voice.gain },
  ];
  if (voice.stopFrame === null) return points;

  // A stop during the fade-in starts the fade-out from wherever the fade-in had reached.
  const fadeInEnd = voice.startFrame + voice.fadeInFrames;
  if (voice.stopFrame < fadeInEnd) {
    points.pop();
    points.push({ frame: voice.stopFrame, gain: gainAt(points, voice.stopFrame, voice.gain, fadeInEnd) });
  } else {
    points.push({ frame: voice.stopFrame, gain: voice.gain });
  }
  points.push({ frame: voice.stopFrame + voice.fadeOutFrames, gain: 0 });
  return points;
}

/**
 * The envelope's gain at `frame` (linear interpolation between corner points; its first
 * point is the voice's start at gain 0, so it is silent before).
 */
export function envelopeGainAt(points: EnvelopePoint[], frame: number): number {
  return points.length === 0 ? 0 : heldLinearAt(points, frame, (point) => point.gain);
}

function gainAt(points: EnvelopePoint[], frame: number, target: number, targetFrame: number): number {
  return envelopeGainAt([...points, { frame: targetFrame, gain: target }], frame);
}

/**
 * Reads a level path (a voice's gain envelope, which starts at 0, or a wet level) at
 * increasing frames: the first point's level before it, linear between points, the last
 * point's level after it; 0 without points. Walks the corners once.
 */
export class LevelPathReader {
  private index = 0;

  constructor(private readonly points: readonly EnvelopePoint[]) {}

  at(frame: number): number {
    const points = this.points;
    if (points.length === 0) return 0;
    while (this.index < points.length && points[this.index]!.frame <= frame) this.index++;
    if (this.index === 0) return points[0]!.gain;
    if (this.index === points.length) return points[points.length - 1]!.gain;

    const before = points[this.index - 1]!;
    const after = points[this.index]!;
    return before.gain + ((after.gain - before.gain) * (frame - before.frame)) / (after.frame - before.frame);
  }
}

/** A path's value at `frame`: linear between its points, held before the first and after the last. */
export function heldLinearAt<Point extends { frame: number }>(points: readonly Point[], frame: number, valueOf: (point: Point) => number): number {
  if (frame <= points[0]!.frame) return valueOf(points[0]!);
  for (let index = 1; index < points.length; index++) {
    const before = points[index - 1]!;
    const after = points[index]!;
    if (frame <= after.frame) {
      const span = after.frame - before.frame;
      return span === 0 ? valueOf(after) : valueOf(before) + ((valueOf(after) - valueOf(before)) * (frame - before.frame)) / span;
    }
  }
  return valueOf(points[points.length - 1]!);
}
