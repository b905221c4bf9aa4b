import type { Voice } from './plan.js';
import { heldLinearAt } from './envelope.js';

/** A corner of a pan path: stereo position `pan` (-1 left .. 1 right) at output frame `frame`. */
export interface PanPoint {
  frame: number;
  pan: number;
}

/**
 * A slow back-and-forth of a voice about its position: a triangle wave of `width` (pan units
 * either side) and `periodFrames` (one whole left-right-left cycle, in output frames), at its
 * centre at the voice's start frame and moving right first (left first when `width` < 0).
 * Continuous everywhere: a ramp that turns, never a step.
 */
export interface PanSway {
  width: number;
  periodFrames: number;
  /**
   * Later sways in frame order, each taking over from its `fromFrame` as if the voice started
   * there. The composer puts each where the sway before it passes its centre (wind-sway.ts),
   * so that the position turns or changes speed there but never steps.
   */
  changes?: SwayChange[];
}

/** A sway taking over from output frame `fromFrame` (see {@link PanSway}). */
export interface SwayChange {
  fromFrame: number;
  width: number;
  periodFrames: number;
}

/**
 * Frames between two exactly computed pan-law gains. In between the gains are interpolated
 * linearly; the grid is counted from frame 0 of the output, so the gains at a frame do not
 * depend on where a chunk starts.
 */
export const PAN_GRID_FRAMES = 64;

/**
 * The stereo position of `voice` at output frame `frame`, -1..1: its pan path (linear between
 * corners, held at the first before it and at the last after it) or else its fixed `pan`,
 * plus its sway, clamped to -1..1. A pure function of the voice and the frame.
 */
export function panAt(voice: Voice, frame: number): number {
  const centre = voice.panPath && voice.panPath.length > 0 ? pathAt(voice.panPath, frame) : voice.pan;
  const sway = voice.panSway ? swayAt(voice.panSway, voice.startFrame, frame) : 0;
  return clampPan(centre + sway);
}

/** Whether the voice's position changes with time (a path of two positions or more, or a sway). */
export function panMoves(voice: Voice): boolean {
  const path = voice.panPath ?? [];
  const sway = voice.panSway;
  const sways = sway !== undefined && [sway, ...(sway.changes ?? [])].some((each) => each.width !== 0 && each.periodFrames > 0);
  return sways || path.some((point) => point.pan !== path[0]!.pan);
}

/** The path's position at `frame`: linear between corners, held outside them. */
export function pathAt(path: readonly PanPoint[], frame: number): number {
  return heldLinearAt(path, frame, (point) => point.pan);
}

/** The sway in force at `frame` of a voice started at `startFrame`: where it took over, its width and period. */
export function swayInForce(sway: PanSway, startFrame: number, frame: number): SwayChange {
  let inForce: SwayChange = { fromFrame: startFrame, width: sway.width, periodFrames: sway.periodFrames };
  for (const change of sway.changes ?? []) {
    if (change.fromFrame > frame) break;
    inForce = change;
  }
  return inForce;
}

/** The sway's offset at `frame` (0 before the voice's start). */
function swayAt(sway: PanSway, startFrame: number, frame: number): number {
  const { fromFrame, width, periodFrames } = swayInForce(sway, startFrame, frame);
  const elapsed = frame - fromFrame;
  if (elapsed <= 0 || periodFrames <= 0) return 0;
  const phase = (elapsed / periodFrames) % 1;
  const triangle = phase < 0.25 ? 4 * phase : phase < 0.75 ? 2 - 4 * phase : 4 * phase - 4;
  return width * triangle;
}

/** The four gains of a stereo input's equal-power pan (see {@link panGains}). */
export interface PanGains {
  leftFromLeft: number;
  leftFromRight: number;
  rightFromLeft: number;
  rightFromRight: number;
}

/**
 * The gains of an equal-power pan of a stereo input, as the Web Audio API's StereoPannerNode
 * defines them: panning left folds the right channel into the left with cos(x·π/2), x = pan + 1,
 * and keeps sin(x·π/2) of the right; panning right is the mirror. Pan 0 passes both untouched.
 * Continuous in `pan`, so a pan that ramps gives gains that ramp.
 */
export function panGains(pan: number): PanGains {
  const clamped = clampPan(pan);
  if (clamped <= 0) {
    const x = ((clamped + 1) * Math.PI) / 2;
    return { leftFromLeft: 1, leftFromRight: Math.cos(x), rightFromLeft: 0, rightFromRight: Math.sin(x) };
  }
  const x = (clamped * Math.PI) / 2;
  return { leftFromLeft: Math.cos(x), leftFromRight: 0, rightFromLeft: Math.sin(x), rightFromRight: 1 };
}

/** A stereo position held to -1 (left) .. 1 (right). */
export function clampPan(pan: number): number {
  return Math.max(-1, Math.min(1, pan));
}
