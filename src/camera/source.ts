import type { Logger } from 'pino';
import type { Clock } from '../time/clock.js';
import type { CameraFrame } from './frame.js';
import type { CameraLinkStatus, CameraStatusListener } from './link-status.js';

/**
 * A live camera: hands frames to `onFrame` and link changes to `onStatus` until stopped.
 * `start()` returns at once and never waits for the camera (the music never waits for it);
 * a camera that is down is retried with backoff, for ever, until `stop()`.
 */
export interface CameraSource {
  start(): void;
  /** Stops retrying and ends any child process; resolves once none is left. */
  stop(): Promise<void>;
  /** The latest link state; null before the first is known. */
  readonly status: CameraLinkStatus | null;
}

/** A frame that came but cannot be used (a broken JPEG); shaped like the bus's `frame.rejected`. */
export interface CameraFrameRejection {
  at: number;
  frameId: string;
  reason: string;
}

/** What every camera source takes. Durations in seconds; defaults in {@link CAMERA_DEFAULTS}. */
export interface CameraSourceOptions {
  /** The camera's name: frame ids are `<camera>#<sequence>`. */
  camera: string;
  clock: Clock;
  /** The parent logger; the source logs as `component: 'camera'` with the camera's name. */
  log: Logger;
  /** Receives each frame; may throw (logged, the source goes on). */
  onFrame: (frame: CameraFrame) => void;
  onStatus?: CameraStatusListener;
  onRejected?: (rejection: CameraFrameRejection) => void;
  /** Analysis rate, frames per second. */
  fps?: number;
  /** Raw frames' width in pixels, even; the height keeps the aspect, rounded to even. */
  width?: number;
  /** No frame for this long: the link is stalled and the reader is restarted. */
  stallTimeoutS?: number;
  /** Socket and request timeout (ffmpeg's `-timeout`/`-rw_timeout`, the snapshot GET). */
  socketTimeoutS?: number;
  /** Shortest and longest wait before a restart or a retry. */
  backoffFloorS?: number;
  maxBackoffS?: number;
  /** Time between SIGTERM and SIGKILL when stopping ffmpeg. */
  killGraceS?: number;
  /** Uniform in [0, 1), for the backoff's jitter; tests pass a fixed one. */
  random?: () => number;
}

export const CAMERA_DEFAULTS = {
  fps: 1,
  width: 640,
  stallTimeoutS: 20,
  socketTimeoutS: 10,
  backoffFloorS: 2,
  maxBackoffS: 120,
  killGraceS: 3,
} as const;

type Tunable = keyof typeof CAMERA_DEFAULTS | 'random';

/** The options with every tunable filled in. */
export type ResolvedCameraOptions = CameraSourceOptions & Required<Pick<CameraSourceOptions, Tunable>>;

/** Fills in defaults and checks the values: a bad one is named, with the value it had. */
export function resolveCameraOptions(options: CameraSourceOptions): ResolvedCameraOptions {
  const resolved: ResolvedCameraOptions = { ...options, random: options.random ?? Math.random } as ResolvedCameraOptions;
  for (const key of Object.keys(CAMERA_DEFAULTS) as Array<keyof typeof CAMERA_DEFAULTS>) {
    resolved[key] = options[key] ?? CAMERA_DEFAULTS[key];
  }

  for (const key of ['fps', 'stallTimeoutS', 'socketTimeoutS', 'backoffFloorS', 'maxBackoffS'] as const) {
    const value = resolved[key];
    if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`camera ${key} must be > 0, got ${value}`);
  }
  if (!(Number.isFinite(resolved.killGraceS) && resolved.killGraceS >= 0)) {
    throw new RangeError(`camera killGraceS must be >= 0, got ${resolved.killGraceS}`);
  }
  if (!(Number.isInteger(resolved.width) && resolved.width >= 2 && resolved.width % 2 === 0)) {
    throw new RangeError(`camera width must be an even whole number of pixels, got ${resolved.width}`);
  }
  if (resolved.maxBackoffS < resolved.backoffFloorS) {
    throw new RangeError(`camera maxBackoffS (${resolved.maxBackoffS}) is below backoffFloorS (${resolved.backoffFloorS})`);
  }
  if (!resolved.camera) throw new RangeError('camera name must not be empty');
  return resolved;
}
