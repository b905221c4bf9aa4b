import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { InputError } from '../errors.js';
import { settlesWithin } from '../time/deadline.js';
import { RingText } from './ring-text.js';

export type AudioFormat = 'ogg' | 'flac' | 'mp3' | 'wav';

/**
 * ffmpeg arguments per output format; all 48 kHz stereo. Ogg gets a fixed stream serial
 * number (ffmpeg picks a random one otherwise) so the same audio gives the same file.
 */
export const CODECS: Record<AudioFormat, string[]> = {
  ogg: ['-c:a', 'libvorbis', '-q:a', '5', '-serial_offset', '1', '-f', 'ogg'],
  flac: ['-c:a', 'flac', '-f', 'flac'],
  mp3: ['-c:a', 'libmp3lame', '-b:a', '128k', '-f', 'mp3'],
  wav: ['-c:a', 'pcm_s16le', '-f', 'wav'],
};

/** The format a file name asks for, or an error naming what is supported. */
export function formatForPath(path: string): AudioFormat {
  const extension = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  if (extension === 'ogg' || extension === 'oga') return 'ogg';
  if (extension === 'flac' || extension === 'mp3' || extension === 'wav') return extension;
  throw new InputError(`cannot tell the audio format of "${path}": use .ogg, .flac, .mp3 or .wav`);
}

export interface EncoderOptions {
  ffmpegPath: string;
  format: AudioFormat;
  sampleRate: number;
  /** A file path, or '-' to read the encoded bytes from `output`. */
  target: string;
  bitrateKbps?: number;
}

/**
 * One ffmpeg process that takes interleaved f32le stereo PCM on stdin and writes one
 * encoded stream. Writes respect back-pressure; stderr is drained into a scrubbed ring
 * buffer and shown when ffmpeg fails.
 */
export class Encoder {
  private readonly child: ChildProcessByStdio<Writable, Readable, Readable>;
  private readonly stderr = new RingText();
  private readonly exited: Promise<number | null>;
  private failure: Error | null = null;

  constructor(private readonly options: EncoderOptions) {
    const codec = [...CODECS[options.format]];
    if (options.format === 'mp3' && options.bitrateKbps) codec[codec.indexOf('128k')] = `${options.bitrateKbps}k`;

    const args = [
      '-hide_banner', '-loglevel', 'error', '-nostdin', '-y',
      '-f', 'f32le', '-ar', String(options.sampleRate), '-ac', '2', '-i', 'pipe:0',
      '-fflags', '+bitexact', '-flags:a', '+bitexact',
      ...codec,
      options.target === '-' ? 'pipe:1' : options.target,
    ];

    // Its own process group: Ctrl-C in a terminal signals the whole foreground group, and
    // ffmpeg must not die before skychoir has stopped cleanly; skychoir stops it (see kill).
    // If skychoir dies, ffmpeg reads the end of its input and exits by itself.
    this.child = spawn(options.ffmpegPath, args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    this.child.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk));
    this.child.stdin.on('error', (error) => (this.failure ??= error));
    this.child.on('error', (error: NodeJS.ErrnoException) => {
      this.failure ??= error.code === 'ENOENT'
        ? new InputError(`ffmpeg not found at "${options.ffmpegPath}": install ffmpeg or set output.ffmpegPath`)
        : error;
    });
    this.exited = once(this.child, 'close').then(([code]) => code as number | null, () => null);
  }

  /** The encoded bytes when the target is '-'. */
  get output(): Readable {
    return this.child.stdout;
  }

  /** Writes PCM, waiting while ffmpeg's input is full. Throws if ffmpeg has failed. */
  async write(pcm: Buffer): Promise<void> {
    await this.throwIfFailed();
    if (!this.child.stdin.write(pcm)) {
      // A broken pipe rejects the wait; the failure it records is reported just below.
      await Promise.race([once(this.child.stdin, 'drain').catch(() => {}), this.exited]);
    }
    await this.throwIfFailed();
  }

  /** Closes the input and waits for ffmpeg to finish writing; throws if it failed. */
  async finish(): Promise<void> {
    this.child.stdin.end();
    const code = await this.exited;
    await this.throwIfFailed();
    if (code !== 0) throw this.describe(`ffmpeg exited with ${code}`);
  }

  /**
   * Stops ffmpeg now: its input is closed and it gets SIGTERM, then SIGKILL if it has not
   * exited after `graceMs`. Closing the input matters: ffmpeg blocked reading a pipe restarts
   * the read after SIGTERM and would otherwise never exit.
   */
  kill(graceMs = 2_000): void {
    this.child.stdin.destroy();
    this.child.kill('SIGTERM');
    const hardStop = setTimeout(() => this.child.kill('SIGKILL'), graceMs).unref();
    void this.exited.then(() => clearTimeout(hardStop));
  }

  /** Waits for ffmpeg to exit, at most `graceMs`; true if it did. */
  exitedOrTimeout(graceMs = 2_000): Promise<boolean> {
    return settlesWithin(this.exited, graceMs);
  }

  /** Throws once ffmpeg has failed, after it has exited, so that its own reason is in the message. */
  private async throwIfFailed(): Promise<void> {
    const failure = this.failure as Error | null;
    if (!failure) return;

    await this.exited;
    throw failure instanceof InputError ? failure : this.describe(failure.message);
  }

  private describe(what: string): Error {
    const detail = this.stderr.toString().trim();
    const target = this.options.target === '-' ? 'a stream' : `"${this.options.target}"`;
    return new Error(`encoding ${this.options.format} to ${target} failed: ${what}${detail ? `\n${detail}` : ''}`);
  }
}
