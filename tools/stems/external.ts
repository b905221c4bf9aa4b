import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const SAMPLE_RATE = 48_000;
export const SOUNDFONT = '/usr/share/sounds/sf2/FluidR3_GM.sf2';

/** Planar stereo audio: [left, right], equal lengths, linear samples. */
export type Stereo = [Float32Array, Float32Array];

/**
 * Loop cycles must be whole multiples of this (seconds): the period of FluidSynth's chorus
 * modulation as set below. The chorus (and the reverb's modulated delays) run on a clock
 * of their own, so only then does every cycle of a looped render come out the same.
 */
export const CHORUS_PERIOD_S = 4;

/** The synthesiser's room: a larger, softer hall than FluidSynth's default, for choir. */
const FLUIDSYNTH_SETTINGS = [
  'synth.reverb.room-size=0.75',
  'synth.reverb.damp=0.35',
  'synth.reverb.width=1.0',
  'synth.reverb.level=0.9',
  'synth.chorus.level=1.2',
  `synth.chorus.speed=${1 / CHORUS_PERIOD_S}`,
];

/**
 * Renders a MIDI file with FluidSynth through the FluidR3_GM soundfont into raw
 * little-endian 32-bit float stereo at 48 kHz (float, so that nothing clips before the
 * pack is normalised). `gain` is FluidSynth's master gain (0-10).
 */
export async function renderWithFluidSynth(
  midiPath: string,
  rawPath: string,
  gain: number,
): Promise<void> {
  const settings = FLUIDSYNTH_SETTINGS.flatMap((setting) => ['-o', setting]);
  await run('fluidsynth', [
    '-ni', '-q',
    '-F', rawPath, '-T', 'raw', '-O', 'float', '-E', 'little',
    '-r', String(SAMPLE_RATE), '-g', String(gain),
    ...settings,
    SOUNDFONT, midiPath,
  ]);
}

/** Reads raw interleaved float32 little-endian stereo into planar channels. */
export async function readRawStereo(path: string): Promise<Stereo> {
  const bytes = await readFile(path);
  const frames = Math.floor(bytes.byteLength / 8);
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  for (let frame = 0; frame < frames; frame++) {
    left[frame] = bytes.readFloatLE(frame * 8);
    right[frame] = bytes.readFloatLE(frame * 8 + 4);
  }
  return [left, right];
}

/** Writes planar stereo as raw interleaved float32 little-endian. */
export async function writeRawStereo(path: string, [left, right]: Stereo): Promise<void> {
  const bytes = Buffer.alloc(left.length * 8);
  for (let frame = 0; frame < left.length; frame++) {
    bytes.writeFloatLE(left[frame]!, frame * 8);
    bytes.writeFloatLE(right[frame]!, frame * 8 + 4);
  }
  await writeFile(path, bytes);
}

const RAW_INPUT = ['-f', 'f32le', '-ar', String(SAMPLE_RATE), '-ac', '2'];

/**
 * Encodes raw float stereo to Ogg Vorbis (quality 4), bit-exact (fixed stream serial, no
 * encoder version tag) so that the same input gives the same file.
 */
export async function encodeVorbis(rawPath: string, oggPath: string): Promise<void> {
  await run('ffmpeg', [
    '-nostdin', '-loglevel', 'error', '-y',
    ...RAW_INPUT, '-i', rawPath,
    '-c:a', 'libvorbis', '-q:a', '4',
    '-fflags', '+bitexact', '-flags:a', '+bitexact', '-map_metadata', '-1',
    oggPath,
  ]);
}

/** Decodes any audio file ffmpeg reads to raw float stereo at 48 kHz. */
export async function decodeToRaw(inputPath: string, rawPath: string): Promise<void> {
  await run('ffmpeg', [
    '-nostdin', '-loglevel', 'error', '-y', '-i', inputPath,
    '-f', 'f32le', '-ar', String(SAMPLE_RATE), '-ac', '2', rawPath,
  ]);
}

export interface Loudness {
  /** Integrated loudness (EBU R128), LUFS. */
  integratedLufs: number;
  /** True peak, dBTP. */
  truePeakDb: number;
}

/** Measures raw float stereo with ffmpeg's `ebur128` filter. */
export async function measureLoudness(rawPath: string): Promise<Loudness> {
  const { stderr } = await run('ffmpeg', [
    '-nostdin', '-hide_banner', '-nostats', ...RAW_INPUT, '-i', rawPath,
    '-af', 'ebur128=peak=true', '-f', 'null', '-',
  ], { maxBuffer: 64 * 1024 * 1024 });

  const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
  const integrated = /I:\s+(-?[\d.]+|-inf) LUFS/.exec(summary)?.[1];
  const peak = /Peak:\s+(-?[\d.]+|-inf) dBFS/.exec(summary)?.[1];
  if (integrated === undefined || peak === undefined) {
    throw new Error(`no ebur128 summary for ${rawPath}: ${summary.slice(0, 400)}`);
  }
  return { integratedLufs: parseDb(integrated), truePeakDb: parseDb(peak) };
}

function parseDb(text: string): number {
  return text === '-inf' ? -Infinity : Number(text);
}
