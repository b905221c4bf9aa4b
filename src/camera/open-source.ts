import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { maskUrlPassword } from '../config/redact.js';
import { InputError } from '../errors.js';
import { RestartBackoff } from './backoff.js';
import type { SpawnCamera } from './ffmpeg-run.js';
import { FfmpegFrameSource } from './ffmpeg-source.js';
import { probeHttpCameraKind, type HttpCameraKind } from './http-kind.js';
import { LinkStatus, type CameraLinkStatus } from './link-status.js';
import { HttpSnapshotSource } from './snapshot-source.js';
import { resolveCameraOptions, type CameraSource, type CameraSourceOptions } from './source.js';

/** How a camera is read; chosen from the URL unless stated. */
export type CameraKind = 'rtsp' | HttpCameraKind | 'file';

export interface OpenCameraOptions extends CameraSourceOptions {
  /** States the kind instead of asking an http(s) URL for its Content-Type. */
  kind?: CameraKind;
  ffmpegPath?: string;
  /** Video files: loop at the end (default false); read at the video's pace (default true). */
  loop?: boolean;
  realTime?: boolean;
  spawn?: SpawnCamera;
}

/**
 * Opens a camera by its URL: rtsp:// or rtsps:// through ffmpeg; http(s):// as an MJPEG
 * stream (ffmpeg) or a snapshot URL (axios), told apart by the Content-Type it answers
 * (asked at start, retried with backoff while the camera is down) unless `kind` says;
 * file:// or a local path as a video file through ffmpeg. Throws an InputError naming
 * the URL (masked) when the scheme is unknown or the file does not exist. Nothing is
 * contacted until `start()`.
 */
export function openCameraSource(url: string, options: OpenCameraOptions): CameraSource {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();

  if (scheme === 'rtsp' || scheme === 'rtsps') return new FfmpegFrameSource({ ...options, kind: 'rtsp', input: url });

  if (scheme === 'http' || scheme === 'https') {
    if (options.kind === 'mjpeg') return new FfmpegFrameSource({ ...options, kind: 'mjpeg', input: url });
    if (options.kind === 'snapshot') return new HttpSnapshotSource({ ...options, url });
    return new ProbedHttpSource(url, options);
  }

  if (scheme === undefined || scheme === 'file') {
    const path = scheme === 'file' ? fileURLToPath(url) : url;
    if (!existsSync(path)) throw new InputError(`camera video file "${maskUrlPassword(path)}" does not exist`);
    return new FfmpegFrameSource({ ...options, kind: 'file', input: path });
  }

  throw new InputError(`camera URL "${maskUrlPassword(url)}" has scheme "${scheme}": ` +
    'use rtsp://, rtsps://, http://, https://, file:// or a local path');
}

/**
 * An http(s) camera whose kind is not yet known: asks its Content-Type, 'offline' with
 * backoff while that fails, then runs the matching source and passes its reports on.
 */
class ProbedHttpSource implements CameraSource {
  private readonly link: LinkStatus;
  private readonly log: Logger;
  private readonly backoff: RestartBackoff;
  private inner: CameraSource | null = null;
  private readonly abort = new AbortController();
  private cancelRetry: () => void = () => {};
  private stopped = false;

  constructor(private readonly url: string, private readonly options: OpenCameraOptions) {
    const resolved = resolveCameraOptions(options);
    this.log = options.log.child({ component: 'camera', camera: options.camera });
    this.link = new LinkStatus(url, this.log, options.onStatus);
    this.backoff = new RestartBackoff(resolved.backoffFloorS * 1000, resolved.maxBackoffS * 1000, resolved.random);
  }

  get status(): CameraLinkStatus | null {
    return this.inner ? this.inner.status : this.link.status;
  }

  start(): void {
    void this.probe();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelRetry();
    this.abort.abort();
    await this.inner?.stop();
  }

  private async probe(): Promise<void> {
    if (this.stopped || this.inner) return;
    const { clock } = this.options;
    const timeoutMs = (this.options.socketTimeoutS ?? 10) * 1000;

    let kind: HttpCameraKind;
    try {
      kind = await probeHttpCameraKind(this.url, timeoutMs, this.abort.signal);
    } catch (error) {
      if (this.stopped) return;
      this.link.report('offline', `cannot tell the camera's kind: ${(error as Error).message}`);
      this.cancelRetry = clock.schedule(clock.now() + this.backoff.next(), () => this.probe());
      return;
    }
    if (this.stopped) return;

    this.log.info({ kind }, 'camera kind found from its Content-Type');
    // The inner source reports (and logs) from here on; passed on only when the state changes.
    const onStatus = (status: CameraLinkStatus, reason: string): void => this.link.report(status, reason, false);
    this.inner = openCameraSource(this.url, { ...this.options, kind, onStatus });
    this.inner.start();
  }
}
