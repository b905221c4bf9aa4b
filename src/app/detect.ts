/**
 * `skychoir detect`: runs vision, exactly as the daemon does, on one still image, a video
 * file or a camera URL, and reports every frame and event, with an annotated picture of
 * the frame that showed most (the most birds and aircraft, else the last one seen).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { Logger } from 'pino';
import { EventBus } from '../bus/bus.js';
import type { Detection, SkyEvent, SkyEventName } from '../bus/events.js';
import type { CameraFrame } from '../camera/frame.js';
import { maskUrlPassword } from '../config/redact.js';
import type { SkyConfig } from '../config/schema.js';
import { CheckFailed, InputError } from '../errors.js';
import type { Clock } from '../time/clock.js';
import { FrameAnalyser, type AnalysedFrame } from '../vision/analyser.js';
import { annotateFrame } from '../vision/annotate.js';
import { intersectionOverUnion } from '../vision/nms.js';
import type { RgbFrame } from '../vision/rgb-frame.js';
import { CameraStage, cameraSourceOptions } from './camera-stage.js';
import { openCloudClassifier } from './cloud-classifier.js';
import { openDetector } from './detector.js';

/** File endings read as one still image; anything else is a video file or a camera URL. */
const STILL_ENDINGS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.tif', '.tiff', '.gif', '.avif']);

/** Events a detect run reports. */
const REPORTED: SkyEventName[] = [
  'sky.observed', 'bird.seen', 'flock.started', 'flock.updated', 'flock.ended',
  'aircraft.seen', 'camera.status.changed', 'frame.rejected',
];

export interface DetectOptions {
  /** A still image, a video file, or a camera URL (which may hold a password). */
  input: string;
  config: SkyConfig;
  clock: Clock;
  log: Logger;
  /** Frames to analyse from a video or camera before stopping. */
  frames: number;
  /** Give up when no frame has been analysed after this many seconds (video and camera). */
  waitS: number;
  /** Where the annotated PNG goes; null: none. */
  annotatedPath: string | null;
  signal?: AbortSignal;
  /** Told after each frame, for printing as it goes. */
  onFrame?: (report: FrameReport) => void;
  /** Told for each event, as it is published. */
  onEvent?: (event: SkyEvent) => void;
}

/** One analysed frame, as detect prints it. */
export interface FrameReport {
  frameId: string;
  at: number;
  outcome: AnalysedFrame['findings']['kind'];
  coverFraction: number | null;
  brightness: number | null;
  cloudTypes: Record<string, number> | null;
  birds: Detection[];
  aircraft: Detection[];
  /** Motion regions found against the previous frames. */
  movingRegions: number;
}

export interface DetectResult {
  input: string;
  frames: FrameReport[];
  events: SkyEvent[];
  annotatedPath: string | null;
  /** Whether a bird detector ran: without one, no frame's birds or aircraft were looked for. */
  detectorRan: boolean;
}

export async function detect(options: DetectOptions): Promise<DetectResult> {
  const { config, log } = options;
  const input = maskUrlPassword(options.input);
  const still = STILL_ENDINGS.has(extname(options.input).toLowerCase());
  const jpeg = still ? await readStill(options.input) : null;

  const bus = new EventBus(log.child({ component: 'bus' }));
  const events: SkyEvent[] = [];
  for (const name of REPORTED) {
    bus.on(name, 'detect', (payload) => {
      const event = { name, payload } as SkyEvent;
      events.push(event);
      options.onEvent?.(event);
    });
  }

  const [detector, classifier] = await Promise.all([openDetector(config, log), openCloudClassifier(config, log)]);
  const analyser = new FrameAnalyser({
    bus, detector, classifier, log,
    birdScoreMin: config.vision.birdScoreMin,
    camera: input,
    place: config.place,
    skyWindowMs: config.vision.skyWindowS * 1000,
  });

  const frames: FrameReport[] = [];
  const best = new BestFrame();
  const take = (frame: CameraFrame, analysed: AnalysedFrame): void => {
    const report = reportOf(frame, analysed);
    frames.push(report);
    best.consider(analysed, report);
    options.onFrame?.(report);
  };

  try {
    if (jpeg) {
      const frame = { id: basename(options.input), at: options.clock.now(), jpeg };
      take(frame, await analyser.analyse(frame));
    } else {
      await watchCamera(options, bus, analyser, take);
    }
    const annotatedPath = await best.write(options.annotatedPath);
    return { input, frames, events, annotatedPath, detectorRan: detector !== null };
  } finally {
    await Promise.all([detector?.close(), classifier?.close()]);
  }
}

async function readStill(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new InputError(`cannot read image "${path}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** Analyses frames from a video or camera until enough, a stop, or the wait runs out. */
async function watchCamera(
  options: DetectOptions,
  bus: EventBus,
  analyser: FrameAnalyser,
  take: (frame: CameraFrame, analysed: AnalysedFrame) => void,
): Promise<void> {
  const { config, clock } = options;
  let analysed = 0;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));

  const stage = new CameraStage({
    url: options.input,
    bus,
    clock,
    log: options.log,
    analyser,
    source: cameraSourceOptions(config),
    onAnalysed: (frame, result) => {
      take(frame, result);
      if (++analysed >= options.frames) finish();
    },
  });

  const cancelWait = clock.schedule(clock.now() + options.waitS * 1000, finish);
  options.signal?.addEventListener('abort', finish, { once: true });
  stage.start();
  try {
    await finished;
  } finally {
    cancelWait();
    await stage.stop();
  }

  if (analysed === 0 && !options.signal?.aborted) {
    const status = analyser.sequence.status;
    const why = status ? `; the camera is ${status}` : '';
    throw new CheckFailed(`no frame from ${stage.camera} within ${options.waitS} s${why}`);
  }
}

function reportOf(frame: CameraFrame, { findings, sequence }: AnalysedFrame): FrameReport {
  const seen = findings.kind === 'seen' ? findings : null;
  return {
    frameId: frame.id,
    at: frame.at,
    outcome: findings.kind,
    coverFraction: seen?.coverFraction ?? null,
    brightness: seen?.brightness ?? (findings.kind === 'dark' ? findings.brightness : null),
    cloudTypes: seen?.cloudTypes ?? null,
    birds: sequence?.birds ?? [],
    aircraft: seen?.aircraft ?? [],
    movingRegions: sequence?.motion.kind === 'motion' ? sequence.motion.regions.length : 0,
  };
}

/** Keeps the frame worth drawing: most birds and aircraft, the later one on a tie. */
class BestFrame {
  private frame: RgbFrame | null = null;
  private marks: Parameters<typeof annotateFrame>[1] | null = null;
  private score = -1;

  consider({ findings, sequence }: AnalysedFrame, report: FrameReport): void {
    if (findings.kind !== 'seen') return;
    const score = report.birds.length + report.aircraft.length;
    if (score < this.score) return;

    this.score = score;
    this.frame = findings.full;
    const marked = [...report.birds, ...report.aircraft];
    this.marks = {
      birds: report.birds,
      aircraft: report.aircraft,
      others: findings.detections.filter(
        (each) => each.score >= 0.3 && marked.every((mark) => intersectionOverUnion(mark.box, each.box) === 0),
      ),
      motion: sequence?.motion.kind === 'motion' ? sequence.motion.regions.map((region) => region.box) : [],
      caption: caption(report),
    };
  }

  async write(path: string | null): Promise<string | null> {
    if (!path || !this.frame || !this.marks) return null;
    await writeFile(path, await annotateFrame(this.frame, this.marks));
    return path;
  }
}

/** "cover 62% · brightness 71% · cumuliform 80%", as the picture's caption. */
export function caption(report: FrameReport): string {
  const parts = [`${report.frameId}`];
  if (report.coverFraction !== null) parts.push(`cover ${percent(report.coverFraction)}`);
  if (report.brightness !== null) parts.push(`brightness ${percent(report.brightness)}`);
  const top = Object.entries(report.cloudTypes ?? {}).sort((a, b) => b[1] - a[1])[0];
  if (top) parts.push(`${top[0]} ${percent(top[1])}`);
  parts.push(`${report.birds.length} bird(s), ${report.aircraft.length} aircraft`);
  return parts.join(' · ');
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}
