/**
 * One camera's status on the bus, from its two halves: the link, as the frame source
 * reports it (online, stalled, offline), and the picture, as the frames show it (clear,
 * night, obstructed, frozen). A broken link wins: a stalled camera's last picture says
 * nothing. `camera.status.changed` is published once per change, never per frame.
 */
import type { Logger } from 'pino';
import type { EventBus } from '../bus/bus.js';
import type { CameraStatus } from '../bus/events.js';
import type { PictureState } from './picture-health.js';

export type LinkStatus = 'online' | 'stalled' | 'offline';

export interface CameraStatusOptions {
  bus: EventBus;
  /** The camera's masked URL or name: it goes into events and logs as it is. */
  camera: string;
  log: Logger;
}

export class CameraStatusReporter {
  private link: LinkStatus | null = null;
  private picture: PictureState = 'clear';
  private published: CameraStatus | null = null;
  private readonly log: Logger;

  constructor(private readonly options: CameraStatusOptions) {
    this.log = options.log.child({ component: 'camera-status', camera: options.camera });
  }

  /** The status last published, or null before the first. */
  get status(): CameraStatus | null {
    return this.published;
  }

  /** The source's link changed (or was confirmed) at `at`, epoch ms. */
  async linkChanged(at: number, link: LinkStatus, reason?: string): Promise<void> {
    this.link = link;
    if (link !== 'online') this.picture = 'clear';
    await this.publishIfChanged(at, reason);
  }

  /**
   * The frames' picture state after the frame captured at `at`. Without any link report (a
   * recorded day) a frame means the link is up; a frame analysed after the link went down
   * (it was waiting) changes only the picture, not the link.
   */
  async pictureSeen(at: number, picture: PictureState): Promise<void> {
    this.link ??= 'online';
    this.picture = picture;
    await this.publishIfChanged(at, picture === 'clear' ? undefined : PICTURE_REASONS[picture]);
  }

  private async publishIfChanged(at: number, reason: string | undefined): Promise<void> {
    const status = this.combined();
    if (status === null || status === this.published) return;

    const previous = this.published;
    this.published = status;
    const fields = { status, previous, ...(reason ? { reason } : {}) };
    if (status === 'online') this.log.info(fields, 'camera status');
    else this.log.warn(fields, 'camera status');
    await this.options.bus.publish('camera.status.changed', { at, camera: this.options.camera, ...fields });
  }

  private combined(): CameraStatus | null {
    if (this.link === null) return null;
    if (this.link !== 'online') return this.link;
    return this.picture === 'clear' ? 'online' : this.picture;
  }
}

const PICTURE_REASONS: Record<Exclude<PictureState, 'clear'>, string> = {
  night: 'too dark to see the sky',
  obstructed: 'little sky visible while the sun is up',
  frozen: 'the same picture again and again',
};
