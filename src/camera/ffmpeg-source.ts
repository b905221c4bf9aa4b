import type { Logger } from 'pino';
import { RestartBackoff } from './backoff.js';
import { ffmpegReadArgs, type FfmpegInputKind } from './ffmpeg-args.js';
import { FfmpegRun, spawnFfmpeg, type RunEnd, type SpawnCamera } from './ffmpeg-run.js';
import { detectFfmpegVersion } from './ffmpeg-version.js';
import { LinkStatus, type CameraLinkStatus } from './link-status.js';
import { resolveCameraOptions, type CameraSource, type CameraSourceOptions, type ResolvedCameraOptions } from './source.js';
import type { FrameSize } from './stream-info.js';

export interface FfmpegSourceOptions extends CameraSourceOptions {
  kind: FfmpegInputKind;
  /** The camera URL or video file path; a password in it is never logged. */
  input: string;
  /** Default 'ffmpeg' (found on PATH). */
  ffmpegPath?: string;
  /** Files: read at the video's pace (default true) and loop at the end (default false). */
  realTime?: boolean;
  loop?: boolean;
  /** Default: node's spawn. Tests inject one that counts processes. */
  spawn?: SpawnCamera;
}

/**
 * A camera read by ffmpeg (RTSP, HTTP MJPEG, a video file), supervised:
 * - at most one ffmpeg for this camera at any instant: a new one is spawned only after the
 *   previous has exited (SIGTERM, then SIGKILL after `killGraceS`);
 * - frames as `{ id: '<camera>#<n>', at: clock.now(), rgb }`, whole and of one size per run;
 * - 'online' at a run's first frame; 'stalled' after `stallTimeoutS` without a frame (ffmpeg
 *   is stopped and restarted); 'offline' when ffmpeg exits by itself (refused, reset, ended);
 * - restarts back off (exponential, full jitter, floor to max), reset by a frame;
 * - a video file that ends without `loop` is reported offline and not restarted.
 */
export class FfmpegFrameSource implements CameraSource {
  private readonly options: ResolvedCameraOptions & FfmpegSourceOptions;
  private readonly log: Logger;
  private readonly link: LinkStatus;
  private readonly backoff: RestartBackoff;
  private run: FfmpegRun | null = null;
  private lastRun: FfmpegRun | null = null;
  /** Why the current run is being stopped by us ('stalled', a size mismatch); null: it was not. */
  private stopReason: { status: CameraLinkStatus; reason: string } | null = null;
  private framesThisRun = 0;
  private sequence = 0;
  private cancelWatchdog: () => void = () => {};
  private cancelRestart: () => void = () => {};
  private started = false;
  private stopped = false;

  constructor(options: FfmpegSourceOptions) {
    this.options = { ...options, ...resolveCameraOptions(options) };
    this.log = options.log.child({ component: 'camera', camera: options.camera });
    this.link = new LinkStatus(options.input, this.log, options.onStatus);
    const { backoffFloorS, maxBackoffS, random } = this.options;
    this.backoff = new RestartBackoff(backoffFloorS * 1000, maxBackoffS * 1000, random);
  }

  get status(): CameraLinkStatus | null {
    return this.link.status;
  }

  /** The running ffmpeg's pid, if one is running (for tests and the status API). */
  get pid(): number | undefined {
    return this.run?.pid;
  }

  /** The scrubbed stderr tail of the running ffmpeg, or of the last one: for a crash report. */
  stderrTail(): string {
    return (this.run ?? this.lastRun)?.stderrTail() ?? '';
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.log.info({ kind: this.options.kind, input: this.link.scrub(this.options.input) }, 'camera starting');
    void this.launch();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelRestart();
    this.cancelWatchdog();
    const run = this.run;
    if (run) await run.stop(this.options.killGraceS * 1000);
    this.log.info('camera stopped');
  }

  private async launch(): Promise<void> {
    if (this.stopped || this.run) return;

    let args: string[];
    try {
      const version = await detectFfmpegVersion(this.options.ffmpegPath ?? 'ffmpeg');
      args = ffmpegReadArgs({ ...this.options, version, realTime: this.options.realTime ?? true });
    } catch (error) {
      // No ffmpeg, or one whose version cannot be read: retrying will not help.
      this.link.report('offline', (error as Error).message);
      this.log.error({ err: error }, 'camera cannot start ffmpeg; not retrying');
      return;
    }
    if (this.stopped || this.run) return;

    const run = new FfmpegRun(this.options.spawn ?? spawnFfmpeg, this.options.ffmpegPath ?? 'ffmpeg', args,
      this.options.input, {
        onFrame: (rgb, size) => this.takeFrame(run, rgb, size),
        onSizeMismatch: (error) => this.stopRun(run, 'offline', `frame size not trustworthy: ${error.message}`),
        onSourceSizeChanged: (from, to) => this.log.warn({ from, to }, 'the camera changed its picture size; frames keep their size'),
      }, this.options.clock);
    this.run = run;
    this.lastRun = run;
    this.stopReason = null;
    this.framesThisRun = 0;
    this.log.info({ pid: run.pid }, 'ffmpeg started');
    this.armWatchdog(run);
    void run.ended.then((end) => this.runEnded(run, end));
  }

  private takeFrame(run: FfmpegRun, rgb: Uint8Array, size: FrameSize): void {
    if (run !== this.run || this.stopReason) return;

    this.framesThisRun += 1;
    this.sequence += 1;
    if (this.framesThisRun === 1) {
      this.backoff.reset();
      this.link.report('online', `frames arriving, ${size.width}x${size.height}`);
    }
    this.armWatchdog(run);

    const frame = { id: `${this.options.camera}#${this.sequence}`, at: this.options.clock.now(), rgb: { rgb, ...size } };
    this.log.debug({ frameId: frame.id }, 'camera frame');
    try {
      this.options.onFrame(frame);
    } catch (error) {
      this.log.error({ err: error, frameId: frame.id }, 'the frame handler threw; the camera goes on');
    }
  }

  private armWatchdog(run: FfmpegRun): void {
    this.cancelWatchdog();
    const { clock, stallTimeoutS } = this.options;
    this.cancelWatchdog = clock.schedule(clock.now() + stallTimeoutS * 1000, () => {
      this.stopRun(run, 'stalled', `no frame for ${stallTimeoutS} s`);
    });
  }

  private stopRun(run: FfmpegRun, status: CameraLinkStatus, reason: string): void {
    if (run !== this.run || this.stopReason) return;
    this.stopReason = { status, reason };
    this.cancelWatchdog();
    this.link.report(status, reason);
    this.log.info({ pid: run.pid }, 'stopping ffmpeg');
    void run.stop(this.options.killGraceS * 1000);
  }

  private runEnded(run: FfmpegRun, end: RunEnd): void {
    if (run !== this.run) return;
    this.run = null;
    this.cancelWatchdog();
    this.log.info({ pid: run.pid, code: end.code, signal: end.signal, frames: this.framesThisRun }, 'ffmpeg exited');
    if (end.raw.leftoverBytes > 0 && !this.stopReason) {
      this.log.warn({ leftoverBytes: end.raw.leftoverBytes, mismatch: end.raw.mismatch }, 'raw stream ended on a partial frame');
    }
    if (this.stopped) return;

    if (!this.stopReason) {
      if (end.spawnError) {
        this.link.report('offline', `ffmpeg could not start: ${end.spawnError.message}`);
      } else if (this.options.kind === 'file' && !this.options.loop && end.code === 0) {
        this.link.report('offline', 'end of the video file');
        return;
      } else {
        const how = end.signal ? `signal ${end.signal}` : `code ${end.code}`;
        this.link.report('offline', `ffmpeg exited (${how})${end.lastLine ? `: ${end.lastLine}` : ''}`);
        if (!this.stopReason && end.code !== 0) this.log.warn({ stderr: end.stderrTail }, 'ffmpeg stderr');
      }
    }
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    const waitMs = this.backoff.next();
    const { clock } = this.options;
    this.log.info({ waitS: Math.round(waitMs) / 1000, failuresInARow: this.backoff.failuresInARow }, 'ffmpeg restarts after a wait');
    this.cancelRestart = clock.schedule(clock.now() + waitMs, () => this.launch());
  }
}
