/**
 * Turns one camera's frames into facts on the bus: `sky.observed` (smoothed) for frames
 * that show the sky, `bird.seen`, `flock.*` and `aircraft.seen` as the tracker tells
 * them, `camera.status.changed` when the picture turns night, obstructed or frozen, and
 * `frame.rejected` (with the reason) for a frame that cannot be analysed. One frame's
 * failure never affects the next. The per-frame work is split in two: `inspect` needs no
 * other frame and may run ahead; `publish` must see the frames in order (frame-sequence.ts).
 */
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { EventBus } from '../bus/bus.js';
import type { CameraFrame } from '../camera/frame.js';
import type { Detection } from '../bus/events.js';
import { aircraftAmong } from './aircraft.js';
import { findBirdCandidates, type FrameDetector } from './birds.js';
import { measureSky } from './cloud-cover.js';
import { decodeCameraFrame, FrameDecodeError, type DecodedFrame } from './frame-decode.js';
import { FrameSequence, type SeenFrame, type SequenceFindings } from './frame-sequence.js';

/** What one frame showed, before anything is published. */
export type FrameFindings =
  | ({ kind: 'seen'; detections: Detection[]; analysisMs: number } & Omit<SeenFrame, 'at' | 'frameId'>)
  | { kind: 'corrupt'; reason: string; bytes: number }
  | { kind: 'dark'; skyFraction: number; brightness: number; thumbnail: DecodedFrame['thumbnail'] }
  | { kind: 'detector-failed'; error: unknown }
  | { kind: 'failed'; error: unknown };

/** A frame's findings and, for a frame that was seen, what the in-order stage added (motion, moving birds). */
export interface AnalysedFrame {
  findings: FrameFindings;
  sequence: SequenceFindings | null;
}

/** Anything that gives cloud-type probabilities for an RGB frame; the {@link CloudClassifier} in production. */
export interface CloudTypeClassifier {
  classify(rgb: Uint8Array, width: number, height: number): Promise<Record<string, number>>;
}

export interface FrameAnalyserOptions {
  bus: EventBus;
  /**
   * The {@link Detector} in production; null when none could be had, in which case frames
   * still give `sky.observed` and no bird is ever reported.
   */
  detector: FrameDetector | null;
  /** The cloud-type classifier; null: `sky.observed` carries no cloud types. */
  classifier?: CloudTypeClassifier | null;
  log: Logger;
  /** Score (0..1) a bird candidate needs on its second look; `vision.birdScoreMin`. */
  birdScoreMin: number;
  /** The camera's masked URL or name, for `camera.status.changed`. Default 'camera'. */
  camera?: string;
  /** Where the camera is, to tell night from a covered lens. Default unknown. */
  place?: { latitude: number; longitude: number } | null;
  /** Sky smoothing window, ms. Default 30 s. */
  skyWindowMs?: number;
}

export class FrameAnalyser {
  private readonly log: Logger;
  /** The in-order part: motion, picture health, tracker, smoothing. */
  readonly sequence: FrameSequence;
  /** Whether the previous frame was too dark, so that the warning is given once per spell. */
  private inDarkSpell = false;
  /** Whether a classifier failure was logged, so that a broken classifier warns once. */
  private classifierWarned = false;

  constructor(private readonly options: FrameAnalyserOptions) {
    this.log = options.log.child({ component: 'frame-analyser' });
    this.sequence = new FrameSequence({
      bus: options.bus,
      log: options.log,
      detector: options.detector,
      birdScoreMin: options.birdScoreMin,
      camera: options.camera ?? 'camera',
      place: options.place ?? null,
      skyWindowMs: options.skyWindowMs ?? 30_000,
    });
  }

  /** Analyses one frame and publishes what it found. Frames must come in order. Never rejects. */
  async analyse(frame: CameraFrame): Promise<AnalysedFrame> {
    const findings = await this.inspect(frame);
    const sequence = await this.publish(frame, findings);
    return { findings, sequence };
  }

  /**
   * Looks at a frame without publishing anything: work that needs no other frame (decode,
   * sky measure, cloud types, whole-frame detection), so frames may be inspected ahead of
   * their instant and in parallel. Never rejects.
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

      const { full, thumbnail } = decoded;
      const sky = measureSky(thumbnail);
      if (sky.coverFraction === null) {
        return { kind: 'dark', skyFraction: sky.skyFraction, brightness: sky.brightness, thumbnail };
      }

      const [looked, cloudTypes] = await Promise.all([this.findBirds(decoded), this.cloudTypesOf(full)]);
      if ('kind' in looked) return looked;

      const analysisMs = Math.round(performance.now() - started);
      const { coverFraction, brightness, skyFraction } = sky;
      return { kind: 'seen', full, thumbnail, skyFraction, coverFraction, brightness, cloudTypes, ...looked, analysisMs };
    } catch (error) {
      return { kind: 'failed', error };
    }
  }

  /**
   * Publishes what `inspect` found, at the frame's own instant, and logs it; gives what the
   * in-order stage added (null for a frame that was not seen). Frames must come in order.
   * Never rejects.
   */
  async publish(frame: CameraFrame, findings: FrameFindings): Promise<SequenceFindings | null> {
    try {
      return await this.publishOrThrow(frame, findings);
    } catch (error) {
      this.log.error({ err: error, frameId: frame.id }, 'publishing a frame failed unexpectedly');
      return null;
    }
  }

  private async publishOrThrow(frame: CameraFrame, findings: FrameFindings): Promise<SequenceFindings | null> {
    const frameId = frame.id;
    if (findings.kind !== 'dark') this.inDarkSpell = false;

    switch (findings.kind) {
      case 'corrupt':
        this.log.warn({ frameId, bytes: findings.bytes, reason: findings.reason }, 'frame rejected');
        await this.reject(frame, `corrupt image: ${findings.reason}`);
        return null;

      case 'dark': {
        const fields = { frameId, skyFraction: findings.skyFraction, brightness: findings.brightness };
        if (this.inDarkSpell) this.log.debug(fields, 'frame too dark');
        else this.log.warn(fields, 'frame too dark to measure the sky; skipping such frames');
        this.inDarkSpell = true;
        await this.sequence.dark(frame.at, findings.thumbnail, findings.skyFraction);
        await this.reject(frame, `too dark to measure the sky (${percent(findings.skyFraction)} usable pixels)`);
        return null;
      }

      case 'detector-failed':
        this.log.warn({ frameId, err: findings.error }, 'frame rejected: detector failed');
        await this.reject(frame, `detector failed: ${describe(findings.error)}`);
        return null;

      case 'failed':
        this.log.error({ err: findings.error, frameId }, 'frame analysis failed unexpectedly');
        await this.reject(frame, `analysis failed: ${describe(findings.error)}`);
        return null;

      case 'seen':
        break;
    }

    const sequence = await this.sequence.seen({ at: frame.at, frameId, ...findings });

    const { width, height } = findings.full;
    const { coverFraction, brightness, analysisMs } = findings;
    const fields = { frameId, width, height, coverFraction, brightness, analysisMs };
    this.log.debug({ ...fields, birds: sequence.birds.length, aircraft: findings.aircraft.length }, 'frame analysed');
    return sequence;
  }

  /** Whole-frame detections, bird candidates and aircraft; all empty without a detector; the failure if it failed. */
  private async findBirds(
    decoded: DecodedFrame,
  ): Promise<{ detections: Detection[]; birds: Detection[]; aircraft: Detection[] } | FrameFindings> {
    const detector = this.options.detector;
    if (!detector) return { detections: [], birds: [], aircraft: [] };

    try {
      const { rgb, width, height } = decoded.full;
      const detections = await detector.detect(rgb, width, height);
      const birds = await findBirdCandidates(decoded.full, detections, detector, {
        scoreMin: this.options.birdScoreMin,
      });
      return { detections, birds, aircraft: aircraftAmong(detections, birds) };
    } catch (error) {
      return { kind: 'detector-failed', error };
    }
  }

  /** Cloud-type probabilities, or null without a classifier or when it fails (warned once). */
  private async cloudTypesOf(full: DecodedFrame['full']): Promise<Record<string, number> | null> {
    const classifier = this.options.classifier;
    if (!classifier) return null;

    try {
      return await classifier.classify(full.rgb, full.width, full.height);
    } catch (error) {
      if (!this.classifierWarned) this.log.warn({ err: error }, 'cloud classifier failed; frames carry no cloud types');
      this.classifierWarned = true;
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
