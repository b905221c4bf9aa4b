import { spawn } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import type { Clock } from '../time/clock.js';
import { FrameSizeMismatch, RawFrameSplitter, type SplitterEnd } from './frame-splitter.js';
import { StderrRing } from './stderr-ring.js';
import { OutputStreamInfo, type FrameSize } from './stream-info.js';

/** The parts of a child process a camera run uses; node's ChildProcess fits, and so do fakes. */
export interface CameraChild extends EventEmitter {
  readonly pid?: number | undefined;
  readonly stdout: Readable;
  readonly stderr: Readable;
  kill(signal?: NodeJS.Signals): boolean;
}

/** Starts ffmpeg; injectable so tests can count processes or stand in for them. */
export type SpawnCamera = (command: string, args: readonly string[]) => CameraChild;

/** ffmpeg with stdout and stderr piped, no stdin, in its own process group (see below). */
export const spawnFfmpeg: SpawnCamera = (command, args) =>
  // Its own process group: a terminal's Ctrl-C must not kill the camera before skychoir
  // stops it cleanly. If skychoir dies, ffmpeg's next write fails and it exits by itself.
  spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });

/** How one run of ffmpeg ended. */
export interface RunEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when ffmpeg could not be started at all (not found, not executable). */
  spawnError?: Error;
  /** The scrubbed tail of its stderr, for the crash report. */
  stderrTail: string;
  /** Its last stderr line, scrubbed: usually why it stopped. */
  lastLine: string;
  raw: SplitterEnd;
}

export interface RunHandlers {
  onFrame: (rgb: Uint8Array, size: FrameSize) => void;
  /** The stream's frame size is not trustworthy; the run is being stopped. */
  onSizeMismatch: (error: FrameSizeMismatch) => void;
  /** ffmpeg says the camera changed its picture size mid-stream (frames stay at the output size). */
  onSourceSizeChanged?: (from: FrameSize, to: FrameSize) => void;
}

/**
 * One ffmpeg process reading one camera: stdout cut into whole rgb24 frames of the size
 * ffmpeg states on stderr; stderr always drained into a scrubbed ring (so a chatty ffmpeg
 * never blocks on a full pipe). `ended` settles once the process has exited and its pipes
 * have closed, never earlier, and never rejects.
 */
export class FfmpegRun {
  readonly ended: Promise<RunEnd>;
  private readonly child: CameraChild;
  private readonly ring: StderrRing;
  private readonly splitter: RawFrameSplitter;
  private stopping = false;

  constructor(spawnCamera: SpawnCamera, ffmpegPath: string, args: readonly string[], cameraUrl: string,
    private readonly handlers: RunHandlers, private readonly clock: Clock, stderrLimitBytes = 16_384) {
    this.splitter = new RawFrameSplitter(handlers.onFrame);
    const info = new OutputStreamInfo((size) => this.guard(() => this.splitter.setSize(size)),
      (from, to) => handlers.onSourceSizeChanged?.(from, to));
    this.ring = new StderrRing(cameraUrl, stderrLimitBytes, (line) => info.readLine(line));

    this.child = spawnCamera(ffmpegPath, args);
    this.child.stderr.on('data', (chunk: Buffer) => this.ring.push(chunk));
    this.child.stdout.on('data', (chunk: Buffer) => {
      if (!this.stopping) this.guard(() => this.splitter.push(chunk));
    });
    // Pipe errors (EPIPE, a reset) end in 'close' like any exit; they need no more handling.
    this.child.stdout.on('error', () => {});
    this.child.stderr.on('error', () => {});

    this.ended = new Promise((resolve) => {
      this.child.once('error', (error: Error) => {
        if (this.child.pid === undefined) resolve(this.describeEnd(null, null, error));
      });
      this.child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
        resolve(this.describeEnd(code, signal));
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The scrubbed stderr kept so far. */
  stderrTail(): string {
    return this.ring.toString();
  }

  /**
   * Stops ffmpeg: SIGTERM now, SIGKILL if it has not exited `graceMs` later (on the clock).
   * Resolves once it has exited; frames still in the pipe are dropped. Safe to call twice.
   */
  async stop(graceMs: number): Promise<RunEnd> {
    if (!this.stopping) {
      this.stopping = true;
      this.child.kill('SIGTERM');
      const cancelKill = this.clock.schedule(this.clock.now() + graceMs, () => void this.child.kill('SIGKILL'));
      void this.ended.then(cancelKill);
    }
    return this.ended;
  }

  private guard(step: () => void): void {
    try {
      step();
    } catch (error) {
      if (!(error instanceof FrameSizeMismatch)) throw error;
      this.handlers.onSizeMismatch(error);
    }
  }

  private describeEnd(code: number | null, signal: NodeJS.Signals | null, spawnError?: Error): RunEnd {
    const end: RunEnd = {
      code, signal, stderrTail: this.ring.toString(), lastLine: this.ring.lastLine(), raw: this.splitter.end(),
    };
    if (spawnError) end.spawnError = spawnError;
    return end;
  }
}
