import type { Logger } from 'pino';
import type { CameraStatus } from '../bus/events.js';
import { scrubSecrets, urlPassword } from '../config/redact.js';

/** The states a frame source reports for its link; the image states come from vision. */
export type CameraLinkStatus = Extract<CameraStatus, 'online' | 'stalled' | 'offline'>;

/** Told once per change of a camera link's state, with a reason free of credentials. */
export type CameraStatusListener = (status: CameraLinkStatus, reason: string) => void;

/**
 * Keeps a camera's link state and reports each change once: to the listener and to the log
 * (online at info, stalled and offline at warn). The same state again says nothing. The
 * reason is scrubbed: the camera URL's password and any URL password never appear.
 */
export class LinkStatus {
  private current: CameraLinkStatus | null = null;
  private readonly password: string | null;

  constructor(
    cameraUrl: string,
    private readonly log: Logger,
    private readonly listener: CameraStatusListener = () => {},
  ) {
    this.password = urlPassword(cameraUrl) || null;
  }

  get status(): CameraLinkStatus | null {
    return this.current;
  }

  /** `logged: false` when the change was already logged by the source that found it. */
  report(status: CameraLinkStatus, reason: string, logged = true): void {
    if (status === this.current) return;

    const previous = this.current;
    this.current = status;
    const safeReason = this.scrub(reason);
    if (!logged) this.log.debug({ status, previous }, 'camera status passed on');
    else if (status === 'online') this.log.info({ status, previous, reason: safeReason }, 'camera online');
    else this.log.warn({ status, previous, reason: safeReason }, `camera ${status}`);
    try {
      this.listener(status, safeReason);
    } catch (error) {
      this.log.error({ err: error }, 'the camera status listener threw; the source goes on');
    }
  }

  /** Text as it may be shown: without the camera's password or any other secret. */
  scrub(text: string): string {
    const masked = this.password ? text.split(this.password).join('***') : text;
    return scrubSecrets(masked);
  }
}
