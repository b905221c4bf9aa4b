/**
 * The part of vision that needs frames in order: motion against the previous frames (and
 * the detector's look at what moved), the picture's health, the bird tracker and the sky
 * smoothing. It takes each frame's findings, as inspected (possibly ahead and in
 * parallel), at the frame's own instant, and publishes the few events they amount to:
 * `sky.observed` (smoothed), `bird.seen`, `flock.*`, `aircraft.seen` and
 * `camera.status.changed`. One camera per sequence.
 */
import type { Logger } from 'pino';
import type { EventBus } from '../bus/bus.js';
import type { CameraStatus, Detection } from '../bus/events.js';
import { sunElevationDeg } from '../time/sun.js';
import type { FrameDetector } from './birds.js';
import { CameraStatusReporter, type LinkStatus } from './camera-status.js';
import { MotionDetector, type MotionResult } from './motion.js';
import { findBirdsInCrops } from './motion-birds.js';
import { motionCrops } from './motion-regions.js';
import { nonMaxSuppression } from './nms.js';
import { PictureHealth } from './picture-health.js';
import type { RgbFrame } from './rgb-frame.js';
import { SkySmoother } from './sky-smoothing.js';
import { BirdTracker, type TrackerEvent } from './tracker.js';

export interface FrameSequenceOptions {
  bus: EventBus;
  log: Logger;
  /** Looks at motion crops; null: birds come from the whole-frame look only (none without a detector). */
  detector: FrameDetector | null;
  /** Score (0..1) a bird in a motion crop needs; `vision.birdScoreMin`. */
  birdScoreMin: number;
  /** The camera's masked URL or name, as `camera.status.changed` names it. */
  camera: string;
  /** Where the camera is, to tell night from a covered lens; null when unknown. */
  place: { latitude: number; longitude: number } | null;
  /** Cover and cloud types are smoothed over this many ms. */
  skyWindowMs: number;
}

/** What the in-order stage needs of a frame that could be analysed. */
export interface SeenFrame {
  at: number;
  frameId: string;
  full: RgbFrame;
  thumbnail: RgbFrame;
  skyFraction: number;
  coverFraction: number;
  brightness: number;
  cloudTypes: Record<string, number> | null;
  /** Bird candidates of the whole-frame look (second look done). */
  birds: Detection[];
  aircraft: Detection[];
}

/** What the in-order stage adds to a frame: what moved and the birds found in it. */
export interface SequenceFindings {
  motion: MotionResult;
  /** The whole-frame birds and those found in motion crops, suppressed together. */
  birds: Detection[];
}

export class FrameSequence {
  private readonly motion = new MotionDetector();
  private readonly health = new PictureHealth();
  /** Made at the first frame, when the camera's aspect is known. */
  private tracker: BirdTracker | null = null;
  private readonly smoother: SkySmoother;
  private readonly reporter: CameraStatusReporter;
  private readonly log: Logger;

  constructor(private readonly options: FrameSequenceOptions) {
    this.log = options.log.child({ component: 'frame-sequence', camera: options.camera });
    this.smoother = new SkySmoother({ windowMs: options.skyWindowMs });
    this.reporter = new CameraStatusReporter({ bus: options.bus, camera: options.camera, log: options.log });
  }

  /** The camera's status as last published, or null before the first. */
  get status(): CameraStatus | null {
    return this.reporter.status;
  }

  /** A frame that could be analysed, at its instant. Publishes what it amounts to. */
  async seen(frame: SeenFrame): Promise<SequenceFindings> {
    const picture = this.health.observe({ ...frame, sunElevationDeg: this.sunAt(frame.at) });
    await this.reporter.pictureSeen(frame.at, picture);

    const motion = this.motion.observe(frame.full, frame.at);
    const birds = await this.withMovingBirds(frame, motion);

    if (picture === 'clear') {
      const { coverFraction, brightness, cloudTypes } = this.smoother.add(frame);
      await this.options.bus.publish('sky.observed', { at: frame.at, frameId: frame.frameId, coverFraction, brightness, cloudTypes });
    }

    this.tracker ??= new BirdTracker({ frameAspect: frame.full.height / frame.full.width });
    await this.publishAll(this.tracker.observe({ at: frame.at, frameId: frame.frameId, birds, aircraft: frame.aircraft }));
    return { motion, birds };
  }

  /** A frame too dark to measure the sky: night, or a covered lens in daylight. */
  async dark(at: number, thumbnail: RgbFrame, skyFraction: number): Promise<void> {
    const picture = this.health.observe({ thumbnail, skyFraction, sunElevationDeg: this.sunAt(at) });
    await this.reporter.pictureSeen(at, picture);
    await this.publishAll(this.tracker?.advance(at) ?? []);
  }

  /** The frame source's link changed; a broken link ends the flocks that are due. */
  async linkChanged(at: number, link: LinkStatus, reason?: string): Promise<void> {
    await this.reporter.linkChanged(at, link, reason);
    if (link !== 'online') await this.publishAll(this.tracker?.advance(at) ?? []);
  }

  private async withMovingBirds(frame: SeenFrame, motion: MotionResult): Promise<Detection[]> {
    const detector = this.options.detector;
    if (!detector || motion.kind !== 'motion' || motion.regions.length === 0) return frame.birds;

    try {
      const crops = motionCrops(frame.full, motion.regions);
      const moving = await findBirdsInCrops(frame.full, crops, detector, { scoreMin: this.options.birdScoreMin });
      this.log.debug({ frameId: frame.frameId, regions: motion.regions.length, crops: crops.length, moving: moving.length }, 'motion looked at');
      return nonMaxSuppression([...frame.birds, ...moving], { iouMax: 0.3, classAgnostic: true });
    } catch (error) {
      this.log.warn({ frameId: frame.frameId, err: error }, 'detector failed on motion crops; whole-frame birds only');
      return frame.birds;
    }
  }

  private async publishAll(events: TrackerEvent[]): Promise<void> {
    for (const event of events) {
      if (event.name === 'flock.started' || event.name === 'flock.ended') this.log.info(event.payload, event.name);
      await this.options.bus.publish(event.name, event.payload as never);
    }
  }

  private sunAt(at: number): number | null {
    const place = this.options.place;
    return place ? sunElevationDeg(at, place.latitude, place.longitude) : null;
  }
}
