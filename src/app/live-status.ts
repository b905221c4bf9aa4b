/**
 * What the daemon knows about itself, kept from the bus for GET /status and the dashboard:
 * the latest weather, sky and sun, the last events as one-line summaries, the latest frame
 * drawn with its detections. Everything in here comes from events, which hold no secret.
 */
import type { EventBus } from '../bus/bus.js';
import type { SkyEvent, SkyEventName, SkyEvents } from '../bus/events.js';
import type { SkyConfig } from '../config/schema.js';
import type { PlanEntry } from '../composer/composer.js';
import type { KeyMove } from '../composer/harmony.js';
import type { DaemonStatus, KeyStatus, MemoryStatus, SkySummary, SourceHealth, WeatherSummary } from '../server/status.js';
import type { OutputHealth } from '../output/audio-output.js';
import { sunElevationDeg } from '../time/sun.js';
import type { AnalysedFrame } from '../vision/analyser.js';
import { annotateFrame } from '../vision/annotate.js';

const KEPT_EVENTS = 50;

/** Events shown in the timeline: the ones a person watching cares about. */
const SHOWN: SkyEventName[] = [
  'weather.observed', 'weather.rejected', 'precipitation.started', 'precipitation.stopped',
  'pressure.trend.changed', 'temperature.trend.changed', 'wind.gusts.started', 'wind.gusts.stopped',
  'fog.formed', 'fog.cleared', 'sun.phase.changed', 'bird.seen', 'flock.started', 'flock.updated',
  'flock.ended', 'aircraft.seen', 'camera.status.changed', 'source.status.changed',
];

export interface StatusParts {
  version: string;
  startedAt: number;
  now: () => number;
  sources: () => SourceHealth[];
  missing: () => string[];
  outputs: () => OutputHealth[];
  listeners: () => { mp3: number; opus: number };
  /** The plan entries of the voices sounding now, by layer. */
  layers: () => DaemonStatus['layers'];
  /** The key centre now (see {@link keyFrom}); without it the status has no `key`. */
  key?: () => KeyStatus | null;
  /** The sky memory's summary, where one runs. */
  memory?: () => MemoryStatus;
  weatherStale: () => boolean;
}

export class StatusBook {
  private readonly events: DaemonStatus['events'] = [];
  private weather: { provider: string; observation: SkyEvents['weather.observed']['observation']; at: number } | null = null;
  private sky: SkySummary | null = null;
  private sunPhase = 'unknown';
  private frame: DaemonStatus['frame'] = null;
  private png: Buffer | null = null;

  constructor(private readonly config: SkyConfig) {}

  follow(bus: EventBus): void {
    for (const name of SHOWN) bus.on(name, 'status', (payload) => this.remember({ name, payload } as SkyEvent));
    bus.on('weather.observed', 'status', ({ at, provider, observation }) => void (this.weather = { at, provider, observation }));
    bus.on('sun.phase.changed', 'status', ({ phase }) => void (this.sunPhase = phase));
    bus.on('sky.observed', 'status', ({ at, coverFraction, brightness, cloudTypes }) => {
      this.sky = { at: new Date(at).toISOString(), coverFraction, brightness, cloudTypes };
    });
  }

  /** Keeps the latest seen frame, drawn with what was found in it, for GET /frame.png. */
  async frameAnalysed(frameId: string, at: number, { findings, sequence }: AnalysedFrame): Promise<void> {
    if (findings.kind !== 'seen') return;
    const birds = sequence?.birds ?? findings.birds;
    const motion = sequence?.motion.kind === 'motion' ? sequence.motion.regions.map((region) => region.box) : [];
    const caption = `${new Date(at).toISOString().slice(11, 19)}Z · cover ${Math.round(findings.coverFraction * 100)}% · ${birds.length} bird(s)`;
    this.png = await annotateFrame(findings.full, { birds, aircraft: findings.aircraft, motion, caption });
    this.frame = {
      at: new Date(at).toISOString(),
      frameId,
      birds: birds.map((bird) => bird.box),
      aircraft: findings.aircraft.map((craft) => craft.box),
    };
  }

  get framePng(): Buffer | null {
    return this.png;
  }

  build(parts: StatusParts): DaemonStatus {
    const now = parts.now();
    const { place } = this.config;
    return {
      version: parts.version,
      startedAt: new Date(parts.startedAt).toISOString(),
      now: new Date(now).toISOString(),
      place: { name: place.name, latitude: place.latitude, longitude: place.longitude, timezone: place.timezone },
      sources: parts.sources(),
      missing: parts.missing(),
      weather: this.weatherSummary(parts.weatherStale()),
      sun: {
        phase: this.sunPhase,
        elevationDeg: Math.round(sunElevationDeg(now, place.latitude, place.longitude) * 10) / 10,
        sunrise: iso(this.weather?.observation.sunriseAt ?? null),
        sunset: iso(this.weather?.observation.sunsetAt ?? null),
      },
      sky: this.sky,
      ...(parts.key ? { key: parts.key() } : {}),
      ...(parts.memory ? { memory: parts.memory() } : {}),
      layers: parts.layers(),
      outputs: parts.outputs(),
      listeners: parts.listeners(),
      events: [...this.events],
      frame: this.frame,
    };
  }

  private remember(event: SkyEvent): void {
    this.events.push({ at: new Date(event.payload.at).toISOString(), name: event.name, summary: summarise(event) });
    if (this.events.length > KEPT_EVENTS) this.events.shift();
  }

  private weatherSummary(stale: boolean): WeatherSummary | null {
    if (!this.weather) return null;
    const { observation, provider } = this.weather;
    return {
      provider,
      observedAt: new Date(observation.validAt).toISOString(),
      stale,
      temperatureC: observation.temperatureC,
      pressureHpa: observation.pressureSeaLevelHpa,
      humidityPercent: observation.humidityPercent,
      windSpeedMs: observation.windSpeedMs,
      cloudCoverPercent: observation.cloudCover.total === null ? null : Math.round(observation.cloudCover.total * 100),
      precipitationMmH: observation.precipitation.rateMmPerHour,
      description: observation.precipitation.kind,
    };
  }
}

/** The stems sounding at `frame`, by layer, with the reason each was started. */
export function layersFrom(entries: readonly PlanEntry[], playing: Record<'coarse' | 'middle' | 'fine', string[]>): DaemonStatus['layers'] {
  return (['coarse', 'middle', 'fine'] as const).map((layer) => ({
    layer,
    stems: playing[layer].map((id) => {
      const start = [...entries].reverse().find((entry) => entry.stemId === id && entry.action === 'start');
      return { id, since: start?.at ?? '', reason: start?.reason ?? '' };
    }),
  }));
}

/**
 * The key centre sounding at audio frame `frame`, from the composer's key moves (which may be
 * planned ahead of the audio): the latest move at or before it; null before any.
 */
export function keyFrom(moves: readonly KeyMove[], frame = Number.POSITIVE_INFINITY): KeyStatus | null {
  const last = moves.filter((move) => move.frame <= frame).at(-1);
  return last ? { name: last.to, since: last.at, why: last.why } : null;
}

/** One line about an event, for the timeline. */
export function summarise({ name, payload }: SkyEvent): string {
  const p = payload as unknown as Record<string, unknown>;
  switch (name) {
    case 'weather.observed': {
      const o = (payload as SkyEvents['weather.observed']).observation;
      return `${o.temperatureC ?? '?'} °C, ${o.pressureSeaLevelHpa ?? '?'} hPa, cloud ${o.cloudCover.total === null ? '?' : Math.round(o.cloudCover.total * 100)}%`;
    }
    case 'bird.seen':
      return `${p.count} bird(s)`;
    case 'flock.started':
    case 'flock.updated':
      return `flock of ${p.size}`;
    case 'flock.ended':
      return `flock gone after ${Math.round(Number(p.durationMs) / 1000)} s`;
    case 'camera.status.changed':
    case 'source.status.changed':
      return `${String(p.camera ?? p.source)}: ${String(p.status)}${p.reason ? ` (${String(p.reason)})` : ''}`;
    default:
      return Object.entries(p)
        .filter(([key, value]) => key !== 'at' && typeof value !== 'object')
        .map(([key, value]) => `${key} ${typeof value === 'number' ? Number(value.toFixed(2)) : String(value)}`)
        .join(', ');
  }
}

function iso(atMs: number | null): string | null {
  return atMs === null ? null : new Date(atMs).toISOString();
}
