import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { StderrRing } from '../camera/stderr-ring.js';
import type { Clock } from '../time/clock.js';

export interface LiveEncoderOptions {
  ffmpegPath: string;
  /** Hz of the interleaved f32le stereo PCM written to it. */
  sampleRate: number;
  /** Everything after the input: codec, format, options, and the target (pipe:1, a file, a URL). */
  outputArgs: string[];
  /** A URL holding a password (the Icecast push): its password is masked in the stderr kept. */
  secretUrl?: string;
  /** PCM waiting in ffmpeg's stdin beyond this is dropped, not queued (bytes; ~5 s at 48 kHz by default). */
  maxQueuedBytes?: number;
  clock: Clock;
}

/** How a live ffmpeg ended. */
export interface EncoderExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The spawn error (ffmpeg missing), if it never ran. */
  error?: NodeJS.ErrnoException;
}

/**
 * One ffmpeg for a live output: PCM in on stdin, never waiting. Unlike {@link Encoder}
 * (offline renders, with back-pressure), `write` returns at once and drops the chunk when
 * ffmpeg has fallen behind by more than `maxQueuedBytes`, so a stuck ffmpeg never holds the
 * mix or grows memory. stderr is drained into a scrubbed ring (the URL's password masked).
 * ffmpeg runs in its own process group (see Encoder) and ends when its input ends.
 */
export class LiveEncoder {
  readonly exited: Promise<EncoderExit>;
  /** Resolves once ffmpeg runs; rejects with the spawn error (ENOENT: no ffmpeg at that path). */
  readonly spawned: Promise<void>;
  private readonly child: ChildProcessByStdio<Writable, Readable, Readable>;
  private readonly stderr: StderrRing;
  private readonly maxQueuedBytes: number;
  private hasExited = false;

  constructor(private readonly options: LiveEncoderOptions) {
    this.maxQueuedBytes = options.maxQueuedBytes ?? 5 * options.sampleRate * 8;
    this.stderr = new StderrRing(options.secretUrl ?? '');

    const args = [
      '-hide_banner', '-loglevel', 'error', '-nostdin', '-y',
      '-f', 'f32le', '-ar', String(options.sampleRate), '-ac', '2', '-i', 'pipe:0',
      ...options.outputArgs,
    ];
    this.child = spawn(options.ffmpegPath, args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    this.child.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk));
    this.child.stdin.on('error', () => {});

    let spawnError: NodeJS.ErrnoException | undefined;
    this.child.on('error', (error: NodeJS.ErrnoException) => (spawnError ??= error));
    this.spawned = once(this.child, 'spawn').then(() => undefined);
    this.spawned.catch(() => {});
    this.exited = once(this.child, 'close').then(
      ([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null, error: spawnError }),
      (error: NodeJS.ErrnoException) => ({ code: null, signal: null, error }),
    );
    void this.exited.then(() => (this.hasExited = true));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The encoded bytes, when the target is pipe:1 (or ffmpeg's -progress report). */
  get output(): Readable {
    return this.child.stdout;
  }

  get running(): boolean {
    return !this.hasExited && this.child.stdin.writable;
  }

  /** Hands PCM to ffmpeg without waiting; false (dropped) when it is behind or gone. */
  write(pcm: Buffer): boolean {
    if (!this.running || this.child.stdin.writableLength > this.maxQueuedBytes) return false;
    this.child.stdin.write(pcm);
    return true;
  }

  /**
   * Ends the input so that ffmpeg flushes and finishes its output, and waits for it to exit;
   * after `graceMs` on the clock it is stopped (SIGTERM, then SIGKILL after as long again).
   */
  async finish(graceMs = 5_000): Promise<EncoderExit> {
    this.child.stdin.end();
    return this.stopWithin(graceMs);
  }

  /** Stops ffmpeg now (input closed, SIGTERM, then SIGKILL after `graceMs`) and waits for it. */
  async kill(graceMs = 2_000): Promise<EncoderExit> {
    this.child.stdin.destroy();
    this.signal('SIGTERM');
    return this.stopWithin(graceMs);
  }

  /** The kept stderr, scrubbed. */
  stderrText(): string {
    return this.stderr.toString();
  }

  /** ffmpeg's latest stderr line, scrubbed; '' if none. */
  lastError(): string {
    return this.stderr.lastLine();
  }

  private async stopWithin(graceMs: number): Promise<EncoderExit> {
    const { clock } = this.options;
    const cancelTerm = clock.schedule(clock.now() + graceMs, () => this.signal('SIGTERM'));
    const cancelKill = clock.schedule(clock.now() + 2 * graceMs, () => this.signal('SIGKILL'));
    const exit = await this.exited;
    cancelTerm();
    cancelKill();
    return exit;
  }

  private signal(name: NodeJS.Signals): void {
    if (!this.hasExited) this.child.kill(name);
  }
}
