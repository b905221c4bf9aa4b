import { spawn } from 'node:child_process';
import { InputError } from '../errors.js';
import type { DecodedAudio } from './measure.js';

/**
 * What `skychoir stems check` reads of a stem file through ffprobe and ffmpeg: the header
 * as it is (native rate, channels, length; nothing resampled) and the audio decoded
 * strictly, so that a file ffmpeg can only partly decode counts as corrupt.
 */

/** The first audio stream's header. */
export interface StemHeader {
  /** Hz, as stored in the file. */
  sampleRate: number;
  channels: number;
  /** Seconds; null where the container does not say. */
  durationS: number | null;
}

/** Reads the header with ffprobe; throws an Error with ffprobe's complaint if it cannot. */
export async function probeStem(path: string, ffprobePath = 'ffprobe'): Promise<StemHeader> {
  const args = ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'stream=sample_rate,channels:format=duration', '-of', 'json', path];
  const { code, stdout, stderr } = await runTool(ffprobePath, args);
  if (code !== 0) throw new Error(firstLine(stderr) || `ffprobe exited with ${code}`);

  const parsed = JSON.parse(stdout.toString()) as { streams?: { sample_rate?: string; channels?: number }[]; format?: { duration?: string } };
  const stream = parsed.streams?.[0];
  if (!stream) throw new Error('holds no audio stream');
  const durationS = Number(parsed.format?.duration);
  return {
    sampleRate: Number(stream.sample_rate),
    channels: stream.channels ?? 0,
    durationS: Number.isFinite(durationS) ? durationS : null,
  };
}

/**
 * Decodes to planar stereo floats at `sampleRate` (48 kHz by default); throws an Error with
 * ffmpeg's first complaint if any part of the file fails to decode (-xerror, and any error
 * ffmpeg prints, count: a truncated Ogg file decodes partly and exits 0 otherwise).
 */
export async function decodeStrictly(path: string, ffmpegPath = 'ffmpeg', sampleRate = 48_000): Promise<DecodedAudio> {
  const args = ['-hide_banner', '-v', 'error', '-xerror', '-i', path, '-f', 'f32le', '-ac', '2', '-ar', String(sampleRate), 'pipe:1'];
  const { code, stdout, stderr } = await runTool(ffmpegPath, args);
  if (code !== 0 || stderr.trim() !== '') throw new Error(firstLine(stderr) || `ffmpeg exited with ${code}`);

  const interleaved = new Float32Array(stdout.buffer, stdout.byteOffset, Math.floor(stdout.byteLength / 4));
  const frames = interleaved.length / 2;
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    left[i] = interleaved[2 * i]!;
    right[i] = interleaved[2 * i + 1]!;
  }
  return { sampleRate, left, right };
}

interface ToolResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs a program to its end; a program that cannot start rejects with a message naming it. */
async function runTool(program: string, args: string[]): Promise<ToolResult> {
  const child = spawn(program, args);
  const chunks: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', (error) => reject(new InputError(`cannot run ${program} (set output.ffmpegPath or install ffmpeg): ${error.message}`)));
    child.on('close', resolve);
  });
  return { code, stdout: Buffer.concat(chunks), stderr };
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}
