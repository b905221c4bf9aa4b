/**
 * A live camera into vision: frames from the source go to the analyser in order, the
 * source's link changes become the camera's status on the bus, and frames the source
 * could not use become `frame.rejected`. Analysis never holds the source back: while a
 * frame is being analysed only the newest arrival waits, older ones are dropped and
 * counted (a slow machine analyses fewer frames, it does not fall behind).
 */
import type { Logger } from 'pino';
import type { EventBus } from '../bus/bus.js';
import { openCameraSource, type OpenCameraOptions } from '../camera/open-source.js';
import type { CameraFrame } from '../camera/frame.js';
import type { CameraSource } from '../camera/source.js';
import { maskUrlPassword } from '../config/redact.js';
import type { SkyConfig } from '../config/schema.js';
import type { Clock } from '../time/clock.js';
import type { AnalysedFrame, FrameAnalyser } from '../vision/analyser.js';

export interface CameraStageOptions {
  /** The camera URL or video path; may hold a password (never logged). */
  url: string;
  bus: EventBus;
  clock: Clock;
  log: Logger;
  analyser: FrameAnalyser;
  /** Source settings: kind, fps, width, timeouts (see camera/source.ts). */
  source?: Partial<Omit<OpenCameraOptions, 'camera' | 'clock' | 'log' | 'onFrame' | 'onStatus' | 'onRejected'>>;
  /** Called after each frame has been analysed and published (for recording, detect's output). */
  onAnalysed?: (frame: CameraFrame, analysed: AnalysedFrame) => void | Promise<void>;
}

/** The source settings of the configured camera (kind, rate, width, stall timeout, ffmpeg). */
export function cameraSourceOptions(config: SkyConfig): NonNullable<CameraStageOptions['source']> {
  return {
    kind: config.camera.kind === 'auto' ? undefined : config.camera.kind,
    fps: config.camera.analysisFps,
    width: config.camera.frameWidth,
    stallTimeoutS: config.camera.stallTimeoutS,
    ffmpegPath: config.output.ffmpegPath,
  };
}

export class CameraStage {
  readonly camera: string;
  private readonly source: CameraSource;
  private readonly log: Logger;
  private waiting: CameraFrame | null = null;
  private analysing: Promise<void> | null = null;
  private dropped = 0;
  private analysed = 0;

  constructor(private readonly options: CameraStageOptions) {
    this.camera = maskUrlPassword(options.url);
    this.log = options.log.child({ component: 'camera-stage', camera: this.camera });
    this.source = openCameraSource(options.url, {
      ...options.source,
      camera: this.camera,
      clock: options.clock,
      log: options.log,
      onFrame: (frame) => this.accept(frame),
      onStatus: (status, reason) => void options.analyser.sequence.linkChanged(options.clock.now(), status, reason),
      onRejected: (rejection) => void options.bus.publish('frame.rejected', rejection),
    });
  }

  /** Frames analysed and dropped so far. */
  get counts(): { analysed: number; dropped: number } {
    return { analysed: this.analysed, dropped: this.dropped };
  }

  /** Starts the source; returns at once (the camera may be down, it is retried). */
  start(): void {
    this.log.info('camera starting');
    this.source.start();
  }

  /** Stops the source and waits for the frame being analysed. */
  async stop(): Promise<void> {
    await this.source.stop();
    this.waiting = null;
    await this.analysing;
    this.log.info(this.counts, 'camera stopped');
  }

  private accept(frame: CameraFrame): void {
    if (this.waiting) {
      this.dropped++;
      this.log.debug({ frameId: this.waiting.id }, 'frame dropped: analysis is behind');
    }
    this.waiting = frame;
    this.analysing ??= this.drain();
  }

  private async drain(): Promise<void> {
    while (this.waiting) {
      const frame = this.waiting;
      this.waiting = null;
      const analysed = await this.options.analyser.analyse(frame);
      this.analysed++;
      try {
        await this.options.onAnalysed?.(frame, analysed);
      } catch (error) {
        this.log.error({ err: error, frameId: frame.id }, 'handling an analysed frame failed; the camera goes on');
      }
    }
    this.analysing = null;
  }
}
