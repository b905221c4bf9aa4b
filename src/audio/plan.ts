import type { Layer } from './stem-manifest.js';

/**
 * What the composer asks the audio stage to play. All times are sample frames of the
 * output (48 kHz) counted from the start of the render or stream, so that a plan renders
 * to the same samples whichever chunk boundaries are used.
 *
 * A voice's gain envelope: 0 at `startFrame`, rising linearly to `gain` over
 * `fadeInFrames`, held, then (once `stopFrame` is set) falling linearly to 0 over
 * `fadeOutFrames`. Looping stems play from their start at `startFrame` and wrap; one-shot
 * stems play once and end with their file.
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
  /** Stereo position, -1 (left) to 1 (right). */
  pan: number;
}

/** The frame after which a voice is silent for good, or null if it is still open. */
export function voiceEndFrame(voice: Voice): number | null {
  return voice.stopFrame === null ? null : voice.stopFrame + voice.fadeOutFrames;
}
