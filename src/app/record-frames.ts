/**
 * Records a live camera into a day: every frame the source gives (at the analysis rate) is
 * stored as a JPEG with its capture instant, in order. Raw frames are encoded with sharp
 * (quality 90). Writing never holds the source back: while the disk is busy, at most
 * {@link BACKLOG_MAX} frames wait and the oldest waiting one is dropped (counted, logged).
 */
import type { Logger } from 'pino';
import { openCameraSource } from '../camera/open-source.js';
import { cameraSourceOptions } from './camera-stage.js';
import type { CameraFrame } from '../camera/frame.js';
import { frameJpeg } from '../camera/frame-jpeg.js';
import type { CameraSource } from '../camera/source.js';
import { maskUrlPassword } from '../config/redact.js';
import type { SkyConfig } from '../config/schema.js';
import type { DayRecorder } from '../days/recorder.js';
import type { Clock } from '../time/clock.js';

const BACKLOG_MAX = 8;

export class FrameRecording {
  private readonly source: CameraSource;
  private readonly log: Logger;
  private readonly backlog: CameraFrame[] = [];
  private writing: Promise<void> | null = null;
  private dropped = 0;

  constructor(private readonly recorder: DayRecorder, config: SkyConfig, clock: Clock, log: Logger) {
    const url = config.camera.url!;
    const camera = maskUrlPassword(url);
    this.log = log.child({ component: 'frame-recording', camera });
    this.source = openCameraSource(url, {
      camera,
      clock,
      log,
      ...cameraSourceOptions(config),
      onFrame: (frame) => this.accept(frame),
    });
  }

  start(): void {
    this.source.start();
  }

  /** Stops the camera and waits for the frames already taken to be written. */
  async stop(): Promise<{ dropped: number }> {
    await this.source.stop();
    await this.writing;
    if (this.dropped > 0) this.log.warn({ dropped: this.dropped }, 'frames dropped while the disk was busy');
    return { dropped: this.dropped };
  }

  private accept(frame: CameraFrame): void {
    this.backlog.push(frame);
    if (this.backlog.length > BACKLOG_MAX) {
      this.backlog.shift();
      this.dropped++;
    }
    this.writing ??= this.drain();
  }

  private async drain(): Promise<void> {
    for (let frame = this.backlog.shift(); frame; frame = this.backlog.shift()) {
      try {
        await this.recorder.addFrame({ capturedAt: frame.at, jpeg: await frameJpeg(frame) });
      } catch (error) {
        this.log.error({ err: error, frameId: frame.id }, 'a frame could not be recorded; recording goes on');
      }
    }
    this.writing = null;
  }
}
