/**
 * Turns camera frames into facts on the bus: `sky.observed` for every frame that can
 * be analysed, `bird.seen` when it holds bird candidates, `frame.rejected` (with the
 * reason) when it cannot be analysed. One frame's failure never affects the next.
 */
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { EventBus } from '../bus/bus.js';
import type { CameraFrame } from '../camera/frame.js';
import type { Detection } from '../bus/events.js';
import { findBirdCandidates, type FrameDetector } from './birds.js';
import { measureSky } from './cloud-cover.js';
import { decodeCameraFrame, FrameDecodeError, type DecodedFrame } from './frame-decode.js';

/** What one frame showed, before anything is published. */
export type FrameFindings =
  | {
      kind: 'seen';
      width: number;
      height: number;
      coverFraction: number;
      brightness: number;
      birds: Detection[];
      analysisMs: number;
    }
  | { kind: 'corrupt'; reason: string; bytes: number }
  | { kind: 'dark'; skyFraction: number; brightness: number }
  | { kind: 'detector-failed'; error: unknown }
  | { kind: 'failed'; error: unknown };

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
    await this.publish(frame, await this.inspect(frame));
  }

  /**
   * Looks at a frame without publishing anything: pure work (decode, sky measure,
   * detection), so frames may be inspected ahead of their instant and in parallel with
   * other work. Never rejects.
   */
  async inspect(frame: CameraFrame): Promise<FrameFindings> {
    const started = performance.now();
    try {
      let decoded: DecodedFrame;
      try {
        decoded = await decodeCameraFrame(frame);
      } catch (error) {
        if (!(error instanceof FrameDecodeError)) throw error;
        return { kind: 'corrupt', reason: error.reason, bytes: frame.jpeg?.length ?? frame.rgb?.rgb.length ?? 0 };
      }

      const sky = measureSky(decoded.thumbnail);
      if (sky.coverFraction === null) {
        return { kind: 'dark', skyFraction: sky.skyFraction, brightness: sky.brightness };
      }

      const birds = await this.findBirds(decoded);
      if (!Array.isArray(birds)) return birds;

      const { width, height } = decoded.full;
      const analysisMs = Math.round(performance.now() - started);
      const { coverFraction, brightness } = sky;
      return { kind: 'seen', width, height, coverFraction, brightness, birds, analysisMs };
    } catch (error) {
      return { kind: 'failed', error };
    }
  }

  /** Publishes what `inspect` found, at the frame's own instant, and logs it. Never rejects. */
  async publish(frame: CameraFrame, findings: FrameFindings): Promise<void> {
    try {
      await this.publishOrThrow(frame, findings);
    } catch (error) {
      this.log.error({ err: error, frameId: frame.id }, 'publishing a frame failed unexpectedly');
    }
  }

  private async publishOrThrow(frame: CameraFrame, findings: FrameFindings): Promise<void> {
    const frameId = frame.id;
    if (findings.kind !== 'dark') this.inDarkSpell = false;

    switch (findings.kind) {
      case 'corrupt':
        this.log.warn({ frameId, bytes: findings.bytes, reason: findings.reason }, 'frame rejected');
        return this.reject(frame, `corrupt image: ${findings.reason}`);

      case 'dark': {
        const fields = { frameId, skyFraction: findings.skyFraction, brightness: findings.brightness };
        if (this.inDarkSpell) this.log.debug(fields, 'frame too dark');
        else this.log.warn(fields, 'frame too dark to measure the sky; skipping such frames');
        this.inDarkSpell = true;
        return this.reject(frame, `too dark to measure the sky (${percent(findings.skyFraction)} usable pixels)`);
      }

      case 'detector-failed':
        this.log.warn({ frameId, err: findings.error }, 'frame rejected: detector failed');
        return this.reject(frame, `detector failed: ${describe(findings.error)}`);

      case 'failed':
        this.log.error({ err: findings.error, frameId }, 'frame analysis failed unexpectedly');
        return this.reject(frame, `analysis failed: ${describe(findings.error)}`);

      case 'seen':
        break;
    }

    const bus = this.options.bus;
    const { coverFraction, brightness, birds } = findings;
    await bus.publish('sky.observed', { at: frame.at, frameId, coverFraction, brightness, cloudTypes: null });
    if (birds.length > 0) {
      await bus.publish('bird.seen', { at: frame.at, frameId, count: birds.length, detections: birds });
    }

    const { width, height, analysisMs } = findings;
    const fields = { frameId, width, height, coverFraction, brightness, analysisMs };
    this.log.debug({ ...fields, birds: birds.length }, 'frame analysed');
  }

  /** Bird candidates in the frame; [] without a detector; the failure if the detector failed. */
  private async findBirds(decoded: DecodedFrame): Promise<Detection[] | FrameFindings> {
    const detector = this.options.detector;
    if (!detector) return [];

    try {
      const { rgb, width, height } = decoded.full;
      const detections = await detector.detect(rgb, width, height);
      return await findBirdCandidates(decoded.full, detections, detector, {
        scoreMin: this.options.birdScoreMin,
      });
    } catch (error) {
      return { kind: 'detector-failed', error };
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
