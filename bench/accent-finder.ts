/**
 * Finds a known accent in decoded stream audio: where it starts (the peak of the normalised
 * cross-correlation with the accent stem's opening seconds, searched after a given sample)
 * and when it becomes audible over the bed. A loudness or spectral-change detector does not
 * work here: the accent swells in softly, and the choral pads change chord by themselves
 * with as much novelty as the accent brings.
 *
 * "Audible" is a stated proxy, not a model of hearing: the first 20 ms window from the start
 * in which the accent's own part (the stem scaled by a least-squares fit over the template)
 * is within `audibleBelowBedDb` of what remains (the bed).
 */
import { crossCorrelate } from './fft.js';

export interface AccentSearch {
  sampleRate: number;
  /** Sample of the stream from which the accent is looked for. */
  fromSample: number;
  /** Seconds searched after `fromSample`. Default 10. */
  searchS?: number;
  /** Seconds of the stem's opening matched. Default 2. */
  templateS?: number;
  /** How far below the bed (dB) the accent's part may be and count as audible. Default 10. */
  audibleBelowBedDb?: number;
}

export interface AccentFound {
  /** The stream sample at which the accent's first sample lies. */
  startSample: number;
  /** The normalised correlation there (1: the stream is the stem alone, scaled). */
  correlation: number;
  /** The first sample of the window in which it is audible by the proxy above; null if never within the template. */
  audibleSample: number | null;
}

/** The accent `stem` (mono) in `stream` (mono) after `fromSample`, or null when the stream is too short. */
export function findAccent(stream: Float32Array, stem: Float32Array, search: AccentSearch): AccentFound | null {
  const templateLength = Math.min(stem.length, Math.round((search.templateS ?? 2) * search.sampleRate));
  const template = stem.subarray(0, templateLength);
  const end = Math.min(stream.length, search.fromSample + Math.round((search.searchS ?? 10) * search.sampleRate) + templateLength);
  const segment = stream.subarray(search.fromSample, end);
  if (segment.length < templateLength) return null;

  const corr = crossCorrelate(segment, template);
  const templateNorm = Math.sqrt(sumOfSquares(template, 0, templateLength));
  const squares = prefixSquares(segment);
  let [bestLag, best] = [0, Number.NEGATIVE_INFINITY];
  for (let lag = 0; lag < corr.length; lag++) {
    const energy = squares[lag + templateLength]! - squares[lag]!;
    const normalised = energy > 0 ? corr[lag]! / (templateNorm * Math.sqrt(energy)) : 0;
    if (normalised > best) [bestLag, best] = [lag, normalised];
  }

  const startSample = search.fromSample + bestLag;
  return { startSample, correlation: best, audibleSample: audibleFrom(stream, template, startSample, search) };
}

/** The first 20 ms window where the fitted accent is within the stated dB of the bed left over. */
function audibleFrom(stream: Float32Array, template: Float32Array, start: number, search: AccentSearch): number | null {
  let [cross, own] = [0, 0];
  for (let index = 0; index < template.length && start + index < stream.length; index++) {
    cross += stream[start + index]! * template[index]!;
    own += template[index]! ** 2;
  }
  const scale = own > 0 ? cross / own : 0;

  const window = Math.round(0.02 * search.sampleRate);
  const limitDb = search.audibleBelowBedDb ?? 10;
  for (let offset = 0; offset + window <= template.length && start + offset + window <= stream.length; offset += window) {
    let [accent, bed] = [0, 0];
    for (let index = offset; index < offset + window; index++) {
      const part = scale * template[index]!;
      accent += part ** 2;
      bed += (stream[start + index]! - part) ** 2;
    }
    if (accent > 0 && 10 * Math.log10(accent / Math.max(bed, 1e-20)) >= -limitDb) return start + offset;
  }
  return null;
}

function sumOfSquares(samples: Float32Array, from: number, to: number): number {
  let sum = 0;
  for (let index = from; index < to; index++) sum += samples[index]! ** 2;
  return sum;
}

function prefixSquares(samples: Float32Array): Float64Array {
  const prefix = new Float64Array(samples.length + 1);
  for (let index = 0; index < samples.length; index++) prefix[index + 1] = prefix[index]! + samples[index]! ** 2;
  return prefix;
}
