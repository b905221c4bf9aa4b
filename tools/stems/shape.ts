import type { Stereo } from './external.js';

/** Raised-cosine ramp from 0 (position 0) to 1 (position `length`). */
function rise(position: number, length: number): number {
  return 0.5 - 0.5 * Math.cos((Math.PI * position) / length);
}

/**
 * Cuts one loop cycle out of a render of several cycles in a row: the frames
 * [startFrame, startFrame + cycleFrames), so that the tails of the previous cycle ring
 * into its start as they will when it wraps.
 *
 * The loop's first `crossfadeFrames` are crossfaded from the next cycle's opening (frames
 * startFrame + cycleFrames + i) into this cycle's own (startFrame + i). Its first frame is
 * then exactly the frame that followed its last in the continuous render, so the wrap
 * makes no step that the render did not; the crossfade only has to bridge the small
 * difference between two cycles that the synthesiser's modulated effects leave.
 * Throws if the render is too short.
 */
export function cutLoop(
  render: Stereo,
  startFrame: number,
  cycleFrames: number,
  crossfadeFrames: number,
): Stereo {
  const neededFrames = startFrame + cycleFrames + crossfadeFrames;
  if (render[0].length < neededFrames) {
    throw new Error(`render has ${render[0].length} frames, the loop cut needs ${neededFrames}`);
  }

  return render.map((samples) => {
    const loop = samples.slice(startFrame, startFrame + cycleFrames);
    for (let i = 0; i < crossfadeFrames; i++) {
      const weight = rise(i, crossfadeFrames);
      const next = samples[startFrame + cycleFrames + i]!;
      loop[i] = (1 - weight) * next + weight * loop[i]!;
    }
    return loop;
  }) as Stereo;
}

/**
 * How far one cycle of a looped render differs from the next, over `frames` frames from
 * `startFrame`: the RMS of the difference relative to the RMS of the cycle, in dB. Very
 * negative means the render repeats itself closely.
 */
export function cycleMismatchDb(
  render: Stereo,
  startFrame: number,
  cycleFrames: number,
  frames: number,
): number {
  let difference = 0;
  let signal = 0;
  for (const samples of render) {
    for (let i = startFrame; i < startFrame + frames; i++) {
      const here = samples[i]!;
      const there = samples[i + cycleFrames] ?? 0;
      difference += (here - there) ** 2;
      signal += here * here;
    }
  }
  return 10 * Math.log10(difference / signal);
}

/**
 * Cuts a one-shot of `lengthFrames` from `startFrame`, with a raised-cosine fade-in over
 * `fadeInFrames` from exact silence and a fade-out over the last `fadeOutFrames` ending in
 * exact silence on the last frame.
 */
export function cutOneShot(
  render: Stereo,
  startFrame: number,
  lengthFrames: number,
  fadeInFrames: number,
  fadeOutFrames: number,
): Stereo {
  return render.map((samples) => {
    const shot = new Float32Array(lengthFrames);
    shot.set(samples.subarray(startFrame, startFrame + lengthFrames));
    for (let i = 0; i < fadeInFrames; i++) shot[i]! *= rise(i, fadeInFrames);
    for (let i = 0; i < fadeOutFrames; i++) {
      const frame = lengthFrames - 1 - i;
      shot[frame]! *= rise(i, fadeOutFrames);
    }
    return shot;
  }) as Stereo;
}

/** Multiplies every sample by a linear gain, in place. */
export function applyGain(audio: Stereo, gain: number): void {
  for (const samples of audio) {
    for (let i = 0; i < samples.length; i++) samples[i]! *= gain;
  }
}
