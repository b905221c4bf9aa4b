import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { integratedLoudness } from './loudness.js';
import { clickAt, largestStep, type DecodedAudio } from './measure.js';
import { chromaProfile, keyName, rankKeys, scaleShare, tagFits, taggedKey } from './stem-check-key.js';
import { decodeStrictly, probeStem } from './stem-check-probe.js';
import { MAX_STEM_DURATION_S, MIN_STEM_DURATION_S, STEM_SAMPLE_RATE } from './stem-library.js';
import { readStemManifest } from './stem-manifest-file.js';
import type { StemInfo } from './stem-manifest.js';

/**
 * `skychoir stems check`: everything that can be wrong with a stem pack, found before it
 * plays. For each stem: the file exists and decodes whole, it is 48 kHz (from its header:
 * the library would resample a 44.1 kHz file without a word, but the pack must be 48 kHz),
 * stereo, between 0.5 s and ten minutes long, a loop wraps without a click (clickAt, the
 * clean-fade measure, across the seam), a pitched stem sounds in its tagged key
 * (stem-check-key.ts), and its integrated loudness (BS.1770-4).
 */

/** One stem's findings. */
export interface StemCheck {
  id: string;
  file: string;
  /** Empty when the stem is clean; otherwise one sentence per fault. */
  problems: string[];
  /** What was measured, for the report line ("48 kHz stereo 32.0 s, -20.0 LUFS, ..."). */
  facts: string[];
}

export interface PackCheck {
  dir: string;
  stems: StemCheck[];
}

export interface StemCheckOptions {
  ffmpegPath?: string;
  ffprobePath?: string;
}

/** Seconds either side of a loop's seam that the click measure sees. */
const SEAM_CONTEXT_S = 0.6;

/**
 * Checks the pack in `dir`. Throws StemManifestError if the manifest is missing or not
 * valid, InputError if ffmpeg or ffprobe cannot be run; every fault of a stem is returned
 * in its `problems`, never thrown.
 */
export async function checkStemPack(dir: string, options: StemCheckOptions = {}): Promise<PackCheck> {
  const manifest = await readStemManifest(join(resolve(dir), 'manifest.json'));
  const stems: StemCheck[] = [];
  for (const info of manifest.stems) stems.push(await checkStem(resolve(dir, info.file), info, options));
  return { dir: resolve(dir), stems };
}

async function checkStem(path: string, info: StemInfo, options: StemCheckOptions): Promise<StemCheck> {
  const check: StemCheck = { id: info.id, file: info.file, problems: [], facts: [] };
  try {
    await access(path);
  } catch {
    check.problems.push('file not found');
    return check;
  }

  let audio: DecodedAudio;
  try {
    const header = await probeStem(path, options.ffprobePath);
    check.facts.push(`${header.sampleRate / 1000} kHz, ${header.channels} ch`);
    if (header.sampleRate !== STEM_SAMPLE_RATE) {
      check.problems.push(`is ${header.sampleRate} Hz: the pack must be ${STEM_SAMPLE_RATE} Hz (the library would resample it at load; re-export it at 48 kHz)`);
    }
    if (header.channels !== 2) check.problems.push(`has ${header.channels} channel(s), stems must be stereo`);
    audio = await decodeStrictly(path, options.ffmpegPath, STEM_SAMPLE_RATE);
  } catch (error) {
    if (error instanceof InputError) throw error;
    check.problems.push(`cannot be decoded (corrupt or not audio): ${(error as Error).message}`);
    return check;
  }

  const durationS = audio.left.length / STEM_SAMPLE_RATE;
  check.facts.push(`${durationS.toFixed(1)} s`);
  if (durationS < MIN_STEM_DURATION_S) check.problems.push(`is ${durationS.toFixed(3)} s long, stems must last at least ${MIN_STEM_DURATION_S} s`);
  if (durationS > MAX_STEM_DURATION_S) check.problems.push(`lasts ${Math.round(durationS)} s, stems may last at most ${MAX_STEM_DURATION_S} s`);

  const loudness = integratedLoudness([audio.left, audio.right], STEM_SAMPLE_RATE);
  check.facts.push(Number.isFinite(loudness) ? `${loudness.toFixed(1)} LUFS` : 'silent');
  if (!Number.isFinite(loudness)) check.problems.push('is silent (no loudness above -70 LUFS)');

  if (info.loop && durationS >= MIN_STEM_DURATION_S) checkSeam(audio, check);
  checkKey(audio, info, check);
  return check;
}

/** A loop's wrap, last sample to first, measured as a change in the loop played twice. */
function checkSeam(audio: DecodedAudio, check: StemCheck): void {
  const span = Math.min(Math.round(SEAM_CONTEXT_S * STEM_SAMPLE_RATE), audio.left.length);
  const join = (samples: Float32Array) => {
    const wrapped = new Float32Array(2 * span);
    wrapped.set(samples.subarray(samples.length - span), 0);
    wrapped.set(samples.subarray(0, span), span);
    return wrapped;
  };
  const wrapped: DecodedAudio = { sampleRate: STEM_SAMPLE_RATE, left: join(audio.left), right: join(audio.right) };

  // The seam's own step, last sample to first, against what a clean fade allows there
  // (clickAt's limit): the largest step of the wrapped loop's window would also count the
  // music's own steps beside the seam, which flags loud passages that do not click.
  const seamStep = largestStep(wrapped, span, span + 1);
  const { limit } = clickAt(wrapped, span);
  if (seamStep <= limit) {
    check.facts.push('seam clean');
    return;
  }
  check.problems.push(`the loop clicks where it wraps: a step of ${seamStep.toFixed(3)} from its last sample to its first, where a clean fade stays under ${limit.toFixed(3)}`);
}

/** A pitched stem's tagged key against the key its audio sounds in. */
function checkKey(audio: DecodedAudio, info: StemInfo, check: StemCheck): void {
  const tag = taggedKey(info.key, info.mode);
  if (!tag) return;

  const chroma = chromaProfile(audio.left, audio.right, STEM_SAMPLE_RATE);
  const best = rankKeys(chroma)[0]!;
  if (tagFits(tag, chroma)) {
    check.facts.push(`key ${info.key} ${info.mode} (hears ${keyName(best)})`);
    return;
  }
  const share = Math.round(100 * scaleShare(chroma, tag));
  check.problems.push(`is tagged ${info.key} ${info.mode} but sounds in ${keyName(best)} (only ${share}% of its energy is on the tagged scale)`);
}
