/**
 * What a golden render is compared by, and the comparison. A reference
 * (test/golden/references/<name>.json) holds the plan, a sha256 of the decoded PCM and a few
 * measured features with their tolerances; {@link compareGolden} lists every way a fresh
 * render departs from it, each naming the scenario, where and by how much.
 */
import { createHash } from 'node:crypto';
import type { DecodedAudio } from '../src/audio/measure.js';
import { spectralCentroid } from '../src/audio/measure.js';
import { integratedLoudness } from '../src/audio/loudness.js';

/** One plan decision: which stem starts or stops at which audio frame, in which layer. */
export interface GoldenPlanEntry {
  frame: number;
  layer: string;
  action: string;
  stemId: string;
}

export interface GoldenFeatures {
  /** RMS level of the mid channel ((L+R)/2) of each whole second, dBFS, floored at {@link FLOOR_DB}. */
  levelDb: number[];
  /** Spectral centroid (Hz) of each {@link CENTROID_SPAN_S}-second span (a shorter last span is left out). */
  centroidHz: number[];
  /** BS.1770-4 integrated loudness of the whole render, LUFS. */
  integratedLufs: number;
}

export interface GoldenTolerances {
  /** Largest change of any second's level, dB. */
  levelDb: number;
  /** Largest relative change of any span's centroid (0.05 = 5%). */
  centroidFraction: number;
  /** Largest change of the integrated loudness, LU. */
  loudnessLu: number;
}

export interface GoldenReference {
  format: 1;
  scenario: string;
  about: string;
  speed: number;
  seed: number;
  sampleRate: number;
  audioFrames: number;
  plan: GoldenPlanEntry[];
  /** sha256 of the decoded PCM (left then right, float32 little-endian): exact on the machine that recorded it. */
  pcmSha256: string;
  tolerances: GoldenTolerances;
  features: GoldenFeatures;
}

export const DEFAULT_TOLERANCES: GoldenTolerances = { levelDb: 0.5, centroidFraction: 0.05, loudnessLu: 0.5 };
export const FLOOR_DB = -100;
export const CENTROID_SPAN_S = 5;

/** The features of decoded audio, rounded to 0.01 dB / 0.1 Hz so references stay readable. */
export function measureFeatures(audio: DecodedAudio): GoldenFeatures {
  const rate = audio.sampleRate;
  const levelDb: number[] = [];
  for (let start = 0; start + rate <= audio.left.length; start += rate) {
    let sum = 0;
    for (let i = start; i < start + rate; i++) {
      const mid = (audio.left[i]! + audio.right[i]!) / 2;
      sum += mid * mid;
    }
    const db = 10 * Math.log10(sum / rate);
    levelDb.push(round(Math.max(FLOOR_DB, db), 100));
  }
  const centroidHz: number[] = [];
  const span = CENTROID_SPAN_S * rate;
  for (let start = 0; start + span <= audio.left.length; start += span) {
    centroidHz.push(round(spectralCentroid(audio, start, start + span), 10));
  }
  const integratedLufs = round(integratedLoudness([audio.left, audio.right], rate), 100);
  return { levelDb, centroidHz, integratedLufs };
}

/** sha256 (hex) of the PCM: the left channel's float32 bytes, then the right's. */
export function pcmSha256(audio: DecodedAudio): string {
  const hash = createHash('sha256');
  for (const channel of [audio.left, audio.right]) hash.update(Buffer.from(channel.buffer, channel.byteOffset, channel.byteLength));
  return hash.digest('hex');
}

/**
 * Every departure of `fresh` from `reference` beyond the reference's tolerances, as
 * sentences naming the scenario, the place (plan entry, second, span) and the size of the
 * change; empty when the render matches. A different PCM hash alone is not a departure.
 */
export function compareGolden(reference: GoldenReference, fresh: Pick<GoldenReference, 'audioFrames' | 'plan' | 'features'>): string[] {
  const name = reference.scenario;
  const problems: string[] = [];
  const tol = reference.tolerances;

  if (fresh.audioFrames !== reference.audioFrames) {
    problems.push(`${name}: ${fresh.audioFrames} audio frames, the reference has ${reference.audioFrames}`);
  }
  const planLength = Math.max(reference.plan.length, fresh.plan.length);
  for (let index = 0; index < planLength; index++) {
    const [want, got] = [reference.plan[index], fresh.plan[index]];
    if (JSON.stringify(want) === JSON.stringify(got)) continue;
    problems.push(`${name}: plan entry ${index} differs: reference ${describeEntry(want)}, render ${describeEntry(got)}`);
    break;
  }

  const [wantLevel, gotLevel] = [reference.features.levelDb, fresh.features.levelDb];
  if (wantLevel.length !== gotLevel.length) problems.push(`${name}: ${gotLevel.length} seconds of level, the reference has ${wantLevel.length}`);
  for (let second = 0; second < Math.min(wantLevel.length, gotLevel.length); second++) {
    const change = gotLevel[second]! - wantLevel[second]!;
    if (Math.abs(change) > tol.levelDb) {
      problems.push(`${name}: level of second ${second} is ${gotLevel[second]!.toFixed(2)} dB, reference ${wantLevel[second]!.toFixed(2)} dB (${signed(change)} dB, tolerance ${tol.levelDb} dB)`);
    }
  }

  const [wantCentroid, gotCentroid] = [reference.features.centroidHz, fresh.features.centroidHz];
  for (let span = 0; span < Math.min(wantCentroid.length, gotCentroid.length); span++) {
    const [want, got] = [wantCentroid[span]!, gotCentroid[span]!];
    const change = want === 0 ? (got === 0 ? 0 : Infinity) : (got - want) / want;
    if (Math.abs(change) > tol.centroidFraction) {
      const where = `${span * CENTROID_SPAN_S}-${(span + 1) * CENTROID_SPAN_S} s`;
      problems.push(`${name}: spectral centroid of ${where} is ${got.toFixed(0)} Hz, reference ${want.toFixed(0)} Hz (${signed(change * 100)}%, tolerance ${tol.centroidFraction * 100}%)`);
    }
  }

  const loudnessChange = fresh.features.integratedLufs - reference.features.integratedLufs;
  if (!(Math.abs(loudnessChange) <= tol.loudnessLu)) {
    problems.push(`${name}: integrated loudness ${fresh.features.integratedLufs.toFixed(2)} LUFS, reference ${reference.features.integratedLufs.toFixed(2)} LUFS (${signed(loudnessChange)} LU, tolerance ${tol.loudnessLu} LU)`);
  }
  return problems;
}

function describeEntry(entry: GoldenPlanEntry | undefined): string {
  return entry ? `${entry.action} ${entry.stemId} (${entry.layer}) at frame ${entry.frame}` : 'nothing';
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(2)}`;
}

function round(value: number, per: number): number {
  return Math.round(value * per) / per;
}
