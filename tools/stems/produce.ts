import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  peakAbs, rms, seamStep, toDb, typicalStep, typicalStepAtSeam,
} from '../../src/audio/stem-measure.js';
import {
  CHORUS_PERIOD_S, SAMPLE_RATE, decodeToRaw, encodeVorbis, measureLoudness, readRawStereo,
  renderWithFluidSynth, writeRawStereo, type Stereo,
} from './external.js';
import { scoreToMidi } from './midi.js';
import type { StemSpec } from './score.js';
import { applyGain, cutLoop, cutOneShot, cycleMismatchDb } from './shape.js';

/** Every stem is normalised to this integrated loudness (EBU R128). */
export const TARGET_LUFS = -20;
/** ...unless that would put a sample above this peak (dBFS, before encoding). */
export const PEAK_CEILING_DB = -1.5;

/** FluidSynth's master gain; the render is float, so this only sets the working level. */
const FLUIDSYNTH_GAIN = 0.5;
const PRE_ROLL_S = 0.5;
/** A loop is rendered this many cycles in a row and cut from the third. */
const LOOP_CYCLES = 4;
const LOOP_CUT_CYCLE = 2;
const LOOP_CROSSFADE_S = 0.25;
const ONE_SHOT_FADE_IN_S = 0.005;
/** The fade-out of a one-shot: this share of its length, at most `ONE_SHOT_FADE_OUT_MAX_S`. */
const ONE_SHOT_FADE_OUT_SHARE = 0.35;
const ONE_SHOT_FADE_OUT_MAX_S = 1.5;
/** Frames either side of a loop seam over which the local typical step is taken (10 ms). */
const SEAM_NEIGHBOURHOOD_FRAMES = 480;

/** What the script reports about a finished stem, measured on the decoded Ogg file. */
export interface StemReport {
  id: string;
  file: string;
  durationS: number;
  bytes: number;
  integratedLufs: number;
  truePeakDb: number;
  peakDb: number;
  rmsDb: number;
  /** Gain applied to reach the target, dB. */
  normaliseDb: number;
  /** Loops only: the wrap step over the typical step, whole stem and near the seam. */
  seamRatio: number | null;
  seamRatioLocal: number | null;
  /** Loops only: the wrap step over the typical step of the audio before encoding. */
  seamRatioBeforeEncoding: number | null;
  /** Loops only: how far the rendered cycles differ from each other (dB, see shape.ts). */
  cycleMismatchDb: number | null;
}

/**
 * Composes, renders, cuts, normalises and encodes one stem into `outDir`, using
 * `workDir` for the intermediate MIDI and raw audio.
 */
export async function produceStem(
  spec: StemSpec,
  workDir: string,
  outDir: string,
): Promise<StemReport> {
  const id = spec.info.id;
  const midiPath = join(workDir, `${id}.mid`);
  const renderPath = join(workDir, `${id}.render.raw`);
  const shapedPath = join(workDir, `${id}.shaped.raw`);
  const decodedPath = join(workDir, `${id}.decoded.raw`);
  const file = `${id}.ogg`;
  const oggPath = join(outDir, file);

  const cycles = spec.info.loop ? LOOP_CYCLES : 1;
  const minimumLengthS = PRE_ROLL_S + cycles * spec.lengthS + 1;
  await writeFile(midiPath, scoreToMidi(spec, { preRollS: PRE_ROLL_S, cycles, minimumLengthS }));
  await renderWithFluidSynth(midiPath, renderPath, FLUIDSYNTH_GAIN);
  const render = await readRawStereo(renderPath);

  const shaped = shape(spec, render);
  await writeRawStereo(shapedPath, shaped.audio);
  const before = await measureLoudness(shapedPath);
  const peakBeforeDb = toDb(peakAbs(shaped.audio));
  const normaliseDb = Math.min(TARGET_LUFS - before.integratedLufs, PEAK_CEILING_DB - peakBeforeDb);
  applyGain(shaped.audio, 10 ** (normaliseDb / 20));
  await writeRawStereo(shapedPath, shaped.audio);
  await encodeVorbis(shapedPath, oggPath);

  await decodeToRaw(oggPath, decodedPath);
  const decoded = await readRawStereo(decodedPath);
  const after = await measureLoudness(decodedPath);
  const step = typicalStep(decoded);
  const loop = spec.info.loop;
  return {
    id,
    file,
    durationS: decoded[0].length / SAMPLE_RATE,
    bytes: (await stat(oggPath)).size,
    integratedLufs: after.integratedLufs,
    truePeakDb: after.truePeakDb,
    peakDb: toDb(peakAbs(decoded)),
    rmsDb: toDb(rms(decoded)),
    normaliseDb,
    seamRatio: loop ? seamStep(decoded) / step : null,
    seamRatioLocal: loop
      ? seamStep(decoded) / typicalStepAtSeam(decoded, SEAM_NEIGHBOURHOOD_FRAMES)
      : null,
    seamRatioBeforeEncoding: loop ? seamStep(shaped.audio) / typicalStep(shaped.audio) : null,
    cycleMismatchDb: shaped.cycleMismatchDb,
  };
}

function shape(spec: StemSpec, render: Stereo): { audio: Stereo; cycleMismatchDb: number | null } {
  const lengthFrames = Math.round(spec.lengthS * SAMPLE_RATE);
  const preRollFrames = Math.round(PRE_ROLL_S * SAMPLE_RATE);

  if (spec.info.loop) {
    if (!Number.isInteger(spec.lengthS / CHORUS_PERIOD_S)) {
      throw new Error(`loop ${spec.info.id}: cycle ${spec.lengthS} s is not a multiple of ` +
        `${CHORUS_PERIOD_S} s, so its cycles would not render alike`);
    }
    const startFrame = preRollFrames + LOOP_CUT_CYCLE * lengthFrames;
    const crossfadeFrames = Math.round(LOOP_CROSSFADE_S * SAMPLE_RATE);
    return {
      audio: cutLoop(render, startFrame, lengthFrames, crossfadeFrames),
      cycleMismatchDb: cycleMismatchDb(render, startFrame, lengthFrames, SAMPLE_RATE),
    };
  }

  const fadeInFrames = Math.round(ONE_SHOT_FADE_IN_S * SAMPLE_RATE);
  const fadeOutS = Math.min(ONE_SHOT_FADE_OUT_MAX_S, spec.lengthS * ONE_SHOT_FADE_OUT_SHARE);
  const fadeOutFrames = Math.round(fadeOutS * SAMPLE_RATE);
  return {
    audio: cutOneShot(render, preRollFrames, lengthFrames, fadeInFrames, fadeOutFrames),
    cycleMismatchDb: null,
  };
}
