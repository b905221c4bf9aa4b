/**
 * Sample-level measurements of stem audio, shared by the stem pack script (which reports
 * them) and the tests (which check them). Channels are planar Float32Arrays of equal length
 * holding linear samples in -1..1; every function reads them and never changes them.
 */

/** The largest absolute sample over all channels (linear, 0 for no samples). */
export function peakAbs(channels: readonly Float32Array[]): number {
  let peak = 0;
  for (const samples of channels) {
    for (const sample of samples) {
      const magnitude = Math.abs(sample);
      if (magnitude > peak) peak = magnitude;
    }
  }
  return peak;
}

/** Root mean square over all channels and samples (linear, 0 for no samples). */
export function rms(channels: readonly Float32Array[]): number {
  let sumOfSquares = 0;
  let count = 0;
  for (const samples of channels) {
    for (const sample of samples) sumOfSquares += sample * sample;
    count += samples.length;
  }
  return count === 0 ? 0 : Math.sqrt(sumOfSquares / count);
}

/** Linear amplitude to dBFS; -Infinity for 0. */
export function toDb(linear: number): number {
  return 20 * Math.log10(linear);
}

/**
 * The stem's typical neighbouring-sample step: the mean absolute difference between
 * consecutive samples, over all channels (linear). A click is a step far above this.
 */
export function typicalStep(channels: readonly Float32Array[]): number {
  let sum = 0;
  let count = 0;
  for (const samples of channels) {
    for (let i = 1; i < samples.length; i++) sum += Math.abs(samples[i]! - samples[i - 1]!);
    count += Math.max(0, samples.length - 1);
  }
  return count === 0 ? 0 : sum / count;
}

/**
 * The step a loop makes where it wraps, from its last sample to its first: the largest
 * absolute difference over the channels (linear). Compare it with `typicalStep`.
 */
export function seamStep(channels: readonly Float32Array[]): number {
  let largest = 0;
  for (const samples of channels) {
    if (samples.length < 2) continue;
    const step = Math.abs(samples[0]! - samples[samples.length - 1]!);
    if (step > largest) largest = step;
  }
  return largest;
}

/**
 * The typical step near the loop seam: the mean absolute neighbouring-sample step over the
 * last and the first `frames` samples of each channel, the seam itself left out (linear).
 * It tells a seam that falls in a loud passage from a click.
 */
export function typicalStepAtSeam(channels: readonly Float32Array[], frames: number): number {
  const edges: Float32Array[] = [];
  for (const samples of channels) {
    const span = Math.min(frames, Math.floor(samples.length / 2));
    edges.push(samples.subarray(samples.length - span), samples.subarray(0, span));
  }
  return typicalStep(edges);
}

/** The largest absolute sample over the first (or last) `frames` samples of all channels. */
export function peakAtEdge(
  channels: readonly Float32Array[],
  frames: number,
  edge: 'start' | 'end',
): number {
  const slices = channels.map((samples) =>
    edge === 'start' ? samples.subarray(0, frames) : samples.subarray(samples.length - frames),
  );
  return peakAbs(slices);
}
