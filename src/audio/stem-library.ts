import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { OfflineAudioContext, type AudioBuffer } from 'node-web-audio-api';
import type { Logger } from 'pino';
import { stemChannels } from './stem-channels.js';
import { integratedLoudness } from './loudness.js';
import { declaredDurationS } from './stem-duration.js';
import { readStemManifest } from './stem-manifest-file.js';
import type { Layer, StemInfo } from './stem-manifest.js';

export { StemManifestError } from './stem-manifest-file.js';

/** The rate every stem is decoded to, and the rate of the audio graph. */
export const STEM_SAMPLE_RATE = 48_000;
/** Stems shorter than this are left out: too short to loop or to be heard as an accent. */
export const MIN_STEM_DURATION_S = 0.5;
/**
 * Stems longer than this are left out: decoded, ten minutes of stereo at 48 kHz is 230 MB.
 * Checked from the file's header before decoding where it declares its length (stem-duration.ts).
 */
export const MAX_STEM_DURATION_S = 600;
/**
 * The loudness (LUFS) every stem is normalised to unless told otherwise: what one stem at
 * full level sounds at before the master gain. With the default master gain (-3 dB) one
 * stem plays at -23 LUFS, the default target (see `stemLoudnessFor`).
 */
export const STEM_REFERENCE_LUFS = -20;
/** Normalisation never changes a stem by more than this (dB): a near-silent stem stays quiet. */
export const MAX_NORMALISATION_DB = 24;

/** Measured loudness by file (path, size and modification time), in memory for the process. */
const loudnessCache = new Map<string, number>();

export interface StemLibraryOptions {
  /** LUFS each stem is normalised to before its trim; default `STEM_REFERENCE_LUFS`. */
  stemLufs?: number;
}

/**
 * The stem loudness that makes one stem at full level, through the master gain, sound at
 * the target loudness: `targetLufs - masterGainDb` (LUFS).
 */
export function stemLoudnessFor(audio: { targetLufs: number; masterGainDb: number }): number {
  return audio.targetLufs - audio.masterGainDb;
}

/** A stem ready to play: its manifest entry and its decoded audio. */
export interface LoadedStem {
  info: StemInfo;
  /**
   * Decoded stereo audio at 48 kHz, usable by any context of that rate. Treat it as
   * read-only: it is shared by every voice that plays the stem.
   */
  buffer: AudioBuffer;
  /** Length of the audio in frames at 48 kHz (a loop's period). */
  durationFrames: number;
  /** Integrated loudness of the file as decoded (LUFS, BS.1770-4); -Infinity if silent. */
  loudnessLufs: number;
  /**
   * Linear playback gain: the normalisation to the library's stem loudness (at most
   * ±24 dB; none for a silent stem) times the manifest's `gainDb` trim.
   */
  gain: number;
}

/** The stems of a pack that loaded, and what was wrong with those that did not. */
export class StemLibrary {
  /** One line per stem that was left out, naming the stem, its file and the fault. */
  readonly problems: readonly string[];
  /** The loaded stems in manifest order. */
  private readonly stems: readonly LoadedStem[];
  private readonly stemsById: ReadonlyMap<string, LoadedStem>;

  constructor(stems: readonly LoadedStem[], problems: readonly string[] = []) {
    this.stems = [...stems];
    this.stemsById = new Map(stems.map((stem) => [stem.info.id, stem]));
    this.problems = [...problems];
  }

  get(id: string): LoadedStem | undefined {
    return this.stemsById.get(id);
  }

  /** Every loaded stem, in manifest order. */
  all(): LoadedStem[] {
    return [...this.stems];
  }

  /** The loaded stems of one layer, in manifest order. */
  byLayer(layer: Layer): LoadedStem[] {
    return this.stems.filter((stem) => stem.info.layer === layer);
  }
}

/**
 * Loads the stem pack in `dir`: reads `manifest.json` through the manifest schema and
 * decodes every stem to 48 kHz.
 *
 * Throws if the manifest cannot be read or is not valid, with a message naming the file
 * and every problem found. A stem whose file is missing, empty or cannot be decoded, or
 * whose audio is not stereo, is shorter than 0.5 s or longer than ten minutes, is logged as
 * an error and left out (and listed in `problems`); the others load.
 *
 * Each stem's loudness is measured (BS.1770-4, loudness.ts; kept in memory for the next load
 * of the same file) and its playback `gain` set to bring it to `options.stemLufs`, with the
 * manifest's `gainDb` as a trim on top.
 *
 * A file at another rate than 48 kHz (44.1 kHz, say) is resampled to 48 kHz as it is
 * decoded, so it plays at its own pitch and speed; it loads without complaint even though
 * the manifest declares 48 kHz.
 */
export async function loadStemLibrary(dir: string, log: Logger, options: StemLibraryOptions = {}): Promise<StemLibrary> {
  const stemLog = log.child({ component: 'stem-library' });
  const manifestPath = join(resolve(dir), 'manifest.json');
  const manifest = await readStemManifest(manifestPath);

  const context = new OfflineAudioContext({
    numberOfChannels: 2,
    length: 1,
    sampleRate: STEM_SAMPLE_RATE,
  });
  const stems: LoadedStem[] = [];
  const problems: string[] = [];
  for (const info of manifest.stems) {
    const path = resolve(dir, info.file);
    const result = await loadStem(context, info, path, options.stemLufs ?? STEM_REFERENCE_LUFS);
    if ('problem' in result) {
      const problem = `stem "${info.id}" (${info.file}): ${result.problem}`;
      stemLog.error({ stemId: info.id, file: path, problem: result.problem }, problem);
      problems.push(problem);
      continue;
    }
    stems.push(result.stem);
    stemLog.debug({ stemId: info.id, loudnessLufs: result.stem.loudnessLufs, gain: result.stem.gain }, 'stem loaded');
  }

  stemLog.info(
    { dir: resolve(dir), loaded: stems.length, leftOut: problems.length },
    'stem library loaded',
  );
  return new StemLibrary(stems, problems);
}

type StemResult = { stem: LoadedStem } | { problem: string };

async function loadStem(
  context: OfflineAudioContext,
  info: StemInfo,
  path: string,
  stemLufs: number,
): Promise<StemResult> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: code === 'ENOENT' ? 'file not found' : `cannot read: ${describe(error)}` };
  }
  if (bytes.byteLength === 0) return { problem: 'file is empty' };

  const declaredS = declaredDurationS(bytes);
  if (declaredS !== null && declaredS > MAX_STEM_DURATION_S) return { problem: tooLong(declaredS) };

  let buffer: AudioBuffer;
  try {
    const data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    buffer = await context.decodeAudioData(data as ArrayBuffer);
  } catch (error) {
    return { problem: `cannot be decoded (corrupt or not audio): ${describe(error)}` };
  }

  if (buffer.numberOfChannels !== 2) {
    return { problem: `has ${buffer.numberOfChannels} channel(s), stems must be stereo` };
  }
  const minimumFrames = MIN_STEM_DURATION_S * STEM_SAMPLE_RATE;
  if (buffer.length < minimumFrames) {
    const durationS = (buffer.length / STEM_SAMPLE_RATE).toFixed(3);
    return { problem: `is ${durationS} s long, stems must last at least ${MIN_STEM_DURATION_S} s` };
  }
  if (buffer.length > MAX_STEM_DURATION_S * STEM_SAMPLE_RATE) return { problem: tooLong(buffer.length / STEM_SAMPLE_RATE) };

  const channels = stemChannels(buffer);
  const loudnessLufs = await measuredLoudness(path, buffer.sampleRate, channels);
  const gainDb = normalisationDb(loudnessLufs, stemLufs) + info.gainDb;
  return { stem: { info, buffer, durationFrames: buffer.length, loudnessLufs, gain: 10 ** (gainDb / 20) } };
}

/** The loudness of a decoded file, measured once per file version for the process. */
async function measuredLoudness(path: string, sampleRate: number, channels: Float32Array[]): Promise<number> {
  const { size, mtimeMs } = await stat(path);
  const key = `${path}\0${size}\0${mtimeMs}`;
  const cached = loudnessCache.get(key);
  if (cached !== undefined) return cached;

  const loudness = integratedLoudness(channels, sampleRate);
  loudnessCache.set(key, loudness);
  return loudness;
}

/** dB that bring `loudnessLufs` to `stemLufs`, within ±MAX_NORMALISATION_DB; 0 for silence. */
function normalisationDb(loudnessLufs: number, stemLufs: number): number {
  if (!Number.isFinite(loudnessLufs)) return 0;
  return Math.max(-MAX_NORMALISATION_DB, Math.min(MAX_NORMALISATION_DB, stemLufs - loudnessLufs));
}

function tooLong(durationS: number): string {
  return `lasts ${Math.round(durationS)} s, stems may last at most ${MAX_STEM_DURATION_S} s`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
