import type { Layer } from './stem-manifest.js';
import type { PanPoint, PanSway } from './pan-path.js';

/**
 * What the composer asks the audio stage to play. All times are sample frames of the
 * output (48 kHz) counted from the start of the render or stream, so that a plan renders
 * to the same samples whichever chunk boundaries are used.
 *
 * A voice's gain envelope: 0 at `startFrame`, rising linearly to `gain` over
 * `fadeInFrames`, held, then (once `stopFrame` is set) falling linearly to 0 over
 * `fadeOutFrames`. Looping stems play from their start at `startFrame` and wrap; one-shot
 * stems play once and end with their file.
 *
 * A voice's stereo position is `pan`, or its `panPath` when it has one, plus its `panSway`
 * (pan-path.ts): a moving position is a ramp by frame (pan-grid.ts), never a step.
 */
export interface Voice {
  /** Unique within a plan, in order of creation. */
  id: number;
  stemId: string;
  layer: Layer;
  startFrame: number;
  fadeInFrames: number;
  /** Frame where the fade-out begins; null while the voice is still wanted. */
  stopFrame: number | null;
  fadeOutFrames: number;
  /** Linear gain after the fade-in (before the stem's own trim and the master gain). */
  gain: number;
  /** Stereo position, -1 (left) to 1 (right); where it starts when the voice moves. */
  pan: number;
  /** Corners of a moving position, in frame order: linear between them, held outside them; replaces `pan`. */
  panPath?: PanPoint[];
  /** A slow back-and-forth about the position (pan or path), from the voice's start. */
  panSway?: PanSway;
}

/** The frame after which a voice is silent for good, or null if it is still open. */
export function voiceEndFrame(voice: Voice): number | null {
  return voice.stopFrame === null ? null : voice.stopFrame + voice.fadeOutFrames;
}
