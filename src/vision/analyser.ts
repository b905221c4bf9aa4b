/**
 * Turns camera frames into facts on the bus: `sky.observed` for every frame that can
 * be analysed, `bird.seen` when it holds bird candidates, `frame.rejected` (with the
 * reason) when it cannot be analysed. One frame's failure never affects the next.
 */
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { EventBus } from '../bus/bus.js';
import type { Detection } from '../bus/events.js';
import { findBirdCandidates, type FrameDetector } from './birds.js';
import { measureSky } from './cloud-cover.js';
import { decodeFrame, FrameDecodeError, type DecodedFrame } from './frame-decode.js';

export interface CameraFrame {
  /** Names the frame in events and logs. */
  id: string;
  /** Capture instant, epoch ms; carried into every event about the frame. */
  at: number;
  jpeg: Buffer;
}

export interface FrameAnalyserOptions {
  bus: EventBus;
  /**
   * The {@link Detector} in production; null when none could be had, in which case frames
   * still give `sky.observed` and no bird is ever reported.
   */
  detector: FrameDetector | null;
  log: Logger;
  /** Score (0..1) a bird candidate needs on its second look; `vision.birdScoreMin`. */
  birdScoreMin: number;
}

export class FrameAnalyser {
  private readonly log: Logger;
  /** Whether the previous frame was too dark, so that the warning is given once per spell. */
  private inDarkSpell = false;

  constructor(private readonly options: FrameAnalyserOptions) {
    this.log = options.log.child({ component: 'frame-analyser' });
  }

  /** Analyses one frame and publishes what it found. Never rejects. */
  async analyse(frame: CameraFrame): Promise<void> {
    try {
      await this.analyseOrReject(frame);
    } catch (error) {
      this.log.error({ err: error, frameId: frame.id }, 'frame analysis failed unexpectedly');
      await this.reject(frame, `analysis failed: ${describe(error)}`).catch(() => undefined);
    }
  }

  private async analyseOrReject(frame: CameraFrame): Promise<void> {
    const started = performance.now();

    let decoded: DecodedFrame;
    try {
      decoded = await decodeFrame(frame.id, frame.jpeg);
    } catch (error) {
      if (!(error instanceof FrameDecodeError)) throw error;
      const fields = { frameId: frame.id, bytes: frame.jpeg.length, reason: error.reason };
      this.log.warn(fields, 'frame rejected');
      await this.reject(frame, `corrupt image: ${error.reason}`);
      return;
    }

    const sky = measureSky(decoded.thumbnail);
    if (sky.coverFraction === null) {
      const { skyFraction, brightness } = sky;
      const fields = { frameId: frame.id, skyFraction, brightness };
      if (this.inDarkSpell) this.log.debug(fields, 'frame too dark');
      else this.log.warn(fields, 'frame too dark to measure the sky; skipping such frames');
      this.inDarkSpell = true;
      const reason = `too dark to measure the sky (${percent(skyFraction)} usable pixels)`;
      await this.reject(frame, reason);
      return;
    }
    this.inDarkSpell = false;

    const { width, height } = decoded.full;
    const birds = await this.findBirds(frame, decoded);
    if (birds === null) return;

    const bus = this.options.bus;
    await bus.publish('sky.observed', {
      at: frame.at,
      frameId: frame.id,
      coverFraction: sky.coverFraction,
      brightness: sky.brightness,
    });
    if (birds.length > 0) {
      const count = birds.length;
      await bus.publish('bird.seen', { at: frame.at, frameId: frame.id, count, detections: birds });
    }

    this.log.debug(
      {
        frameId: frame.id,
        width,
        height,
        coverFraction: sky.coverFraction,
        brightness: sky.brightness,
        birds: birds.length,
        analysisMs: Math.round(performance.now() - started),
      },
      'frame analysed',
    );
  }

  /** Bird candidates in the frame; [] without a detector; null once the frame is rejected. */
  private async findBirds(frame: CameraFrame, decoded: DecodedFrame): Promise<Detection[] | null> {
    const detector = this.options.detector;
    if (!detector) return [];

    try {
      const { rgb, width, height } = decoded.full;
      const detections = await detector.detect(rgb, width, height);
      return await findBirdCandidates(decoded.full, detections, detector, {
        scoreMin: this.options.birdScoreMin,
      });
    } catch (error) {
      this.log.warn({ frameId: frame.id, err: error }, 'frame rejected: detector failed');
      await this.reject(frame, `detector failed: ${describe(error)}`);
      return null;
    }
  }

  private async reject(frame: CameraFrame, reason: string): Promise<void> {
    await this.options.bus.publish('frame.rejected', { at: frame.at, frameId: frame.id, reason });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}
