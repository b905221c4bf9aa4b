import axios from 'axios';
import type { Logger } from 'pino';
import sharp from 'sharp';
import { RestartBackoff } from './backoff.js';
import { LinkStatus, type CameraLinkStatus } from './link-status.js';
import { resolveCameraOptions, type CameraSource, type CameraSourceOptions, type ResolvedCameraOptions } from './source.js';

export interface SnapshotSourceOptions extends CameraSourceOptions {
  /** The snapshot URL (a JPEG per GET); a password in it is sent as basic auth, never logged. */
  url: string;
}

/** Snapshots bigger than this are refused (a camera answering with a video stream by mistake). */
const LARGEST_SNAPSHOT_BYTES = 32 * 1024 * 1024;

/**
 * A camera read by polling a snapshot URL with axios at the analysis rate (`fps`).
 * - Each GET has a deadline of `socketTimeoutS` on the clock; one that passes it is aborted
 *   and the link is 'stalled'; refused, reset or an HTTP error status is 'offline'. Both
 *   retry after the backoff (exponential, full jitter); a good snapshot is 'online'.
 * - Each body is decoded by sharp before it is handed on: a broken JPEG is reported to
 *   `onRejected` and the log, and skipped (the link counts as up: the camera answered).
 * - Frames are `{ id: '<camera>#<n>', at, jpeg }`, `at` being the instant the GET was sent.
 * - One GET at a time; polls keep their rhythm from when each was sent.
 */
export class HttpSnapshotSource implements CameraSource {
  private readonly options: ResolvedCameraOptions & SnapshotSourceOptions;
  private readonly log: Logger;
  private readonly link: LinkStatus;
  private readonly backoff: RestartBackoff;
  private cancelNext: () => void = () => {};
  private inFlight: AbortController | null = null;
  private polling: Promise<void> = Promise.resolve();
  private sequence = 0;
  private started = false;
  private stopped = false;

  constructor(options: SnapshotSourceOptions) {
    this.options = { ...options, ...resolveCameraOptions(options) };
    this.log = options.log.child({ component: 'camera', camera: options.camera });
    this.link = new LinkStatus(options.url, this.log, options.onStatus);
    this.backoff = new RestartBackoff(this.options.backoffFloorS * 1000, this.options.maxBackoffS * 1000, this.options.random);
  }

  get status(): CameraLinkStatus | null {
    return this.link.status;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.log.info({ kind: 'snapshot', url: this.link.scrub(this.options.url) }, 'camera starting');
    this.pollAt(this.options.clock.now());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelNext();
    this.inFlight?.abort();
    await this.polling;
    this.log.info('camera stopped');
  }

  private pollAt(atMs: number): void {
    if (this.stopped) return;
    this.cancelNext = this.options.clock.schedule(atMs, () => {
      this.polling = this.poll();
      return this.polling;
    });
  }

  private async poll(): Promise<void> {
    const { clock, fps } = this.options;
    const sentAt = clock.now();

    const fetched = await this.fetchSnapshot();
    if (this.stopped) return;
    if (!fetched.ok) {
      this.link.report(fetched.status, fetched.reason);
      this.pollAt(clock.now() + this.backoff.next());
      return;
    }

    this.backoff.reset();
    this.link.report('online', 'snapshots arriving');
    this.sequence += 1;
    const frameId = `${this.options.camera}#${this.sequence}`;
    const broken = await brokenImageReason(fetched.jpeg);
    if (broken) this.reject(frameId, sentAt, broken);
    else this.handOn({ id: frameId, at: sentAt, jpeg: fetched.jpeg });

    this.pollAt(Math.max(clock.now(), sentAt + 1000 / fps));
  }

  private async fetchSnapshot(): Promise<{ ok: true; jpeg: Buffer } | { ok: false; status: CameraLinkStatus; reason: string }> {
    const { clock, socketTimeoutS } = this.options;
    const controller = new AbortController();
    this.inFlight = controller;
    let timedOut = false;
    const cancelDeadline = clock.schedule(clock.now() + socketTimeoutS * 1000, () => {
      timedOut = true;
      controller.abort();
    });

    try {
      const response = await axios.get<ArrayBuffer>(this.options.url, {
        responseType: 'arraybuffer', signal: controller.signal, maxContentLength: LARGEST_SNAPSHOT_BYTES,
        maxRedirects: 3, validateStatus: (status) => status >= 200 && status < 300,
      });
      return { ok: true, jpeg: Buffer.from(response.data) };
    } catch (error) {
      if (timedOut) return { ok: false, status: 'stalled', reason: `no snapshot within ${socketTimeoutS} s` };
      return { ok: false, status: 'offline', reason: `snapshot failed: ${(error as Error).message}` };
    } finally {
      cancelDeadline();
      this.inFlight = null;
    }
  }

  private handOn(frame: { id: string; at: number; jpeg: Buffer }): void {
    this.log.debug({ frameId: frame.id, bytes: frame.jpeg.length }, 'camera snapshot');
    try {
      this.options.onFrame(frame);
    } catch (error) {
      this.log.error({ err: error, frameId: frame.id }, 'the frame handler threw; the camera goes on');
    }
  }

  private reject(frameId: string, at: number, reason: string): void {
    this.log.warn({ frameId, reason }, 'snapshot rejected');
    try {
      this.options.onRejected?.({ at, frameId, reason });
    } catch (error) {
      this.log.error({ err: error, frameId }, 'the rejection handler threw; the camera goes on');
    }
  }
}

/** Why sharp cannot decode the image (a truncated JPEG counts), or null when it decodes. */
async function brokenImageReason(image: Buffer): Promise<string | null> {
  try {
    // Shrink-on-load makes this a cheap full decode: a truncated tail is still read.
    await sharp(image, { failOn: 'truncated' }).resize(8, 8, { fit: 'fill' }).raw().toBuffer();
    return null;
  } catch (error) {
    return `not a decodable image (${image.length} bytes): ${(error as Error).message}`;
  }
}
