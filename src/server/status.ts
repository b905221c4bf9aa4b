/**
 * What the daemon says about itself at GET /status, and what the dashboard shows. Built by
 * the app from its parts on each request; it never holds a secret (URLs are masked, keys
 * are not there at all).
 */
import type { CameraStatus, FrameBox } from '../bus/events.js';
import type { OutputHealth } from '../output/audio-output.js';

export interface DaemonStatus {
  version: string;
  /** ISO 8601 UTC instants. */
  startedAt: string;
  now: string;
  place: { name: string; latitude: number; longitude: number; timezone: string };
  /** Every input and its health: weather, camera, mqtt. */
  sources: SourceHealth[];
  /** What the music is going without, in words ("no camera configured", "weather stale since 10:20"). Empty when nothing. */
  missing: string[];
  weather: WeatherSummary | null;
  sun: { phase: string; elevationDeg: number; sunrise: string | null; sunset: string | null };
  sky: SkySummary | null;
  /** The key centre the pitched stems share now, since when and why; null before the first. */
  key?: KeyStatus | null;
  /** What the sky memory has learned of this place (absent where no memory runs). */
  memory?: MemoryStatus;
  /** The stems sounding now, by layer, each with why it was chosen. */
  layers: Array<{ layer: 'coarse' | 'middle' | 'fine'; stems: Array<{ id: string; since: string; reason: string }> }>;
  outputs: OutputHealth[];
  /** Listeners per HTTP stream. */
  listeners: { mp3: number; opus: number };
  /** The latest events, oldest first (at most 50), each summarised in a line. */
  events: Array<{ at: string; name: string; summary: string }>;
  /** The latest analysed frame, drawn with its detections at /frame.png; null before any. */
  frame: { at: string; frameId: string; birds: FrameBox[]; aircraft: FrameBox[] } | null;
}

/** Local days the sky memory has seen, and the rarest event rated today (null before any). */
export interface MemoryStatus {
  daysLearned: number;
  rarestToday: { kind: string; at: string; rarity: number; prominence: number; summary: string } | null;
}

/** The key centre (`D major`), the sky instant it came (ISO 8601) and why. */
export interface KeyStatus {
  name: string;
  since: string;
  why: string;
}

export interface SourceHealth {
  /** "weather", "camera", "mqtt". */
  name: string;
  status: 'online' | 'degraded' | 'offline' | 'off' | CameraStatus;
  /** Masked detail: the provider and its last failure, the camera's masked URL. */
  detail?: string;
  /** Since when it has been so, ISO 8601. */
  since?: string;
}

export interface WeatherSummary {
  provider: string;
  observedAt: string;
  stale: boolean;
  temperatureC: number | null;
  pressureHpa: number | null;
  humidityPercent: number | null;
  windSpeedMs: number | null;
  cloudCoverPercent: number | null;
  precipitationMmH: number | null;
  description: string | null;
}

export interface SkySummary {
  at: string;
  coverFraction: number;
  brightness: number;
  cloudTypes: Record<string, number> | null;
}
