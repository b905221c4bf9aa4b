import type { EventBus } from '../bus/bus.js';
import type { SunPhase } from '../time/sun.js';
import type { PrecipitationKind } from '../weather/observation.js';

/** How long (sky time) a camera estimate of cloud cover stays preferable to the weather's. */
const SKY_COVER_FRESH_MS = 30 * 60_000;

/** Time constant of the smoothing of camera cloud cover (sky time). */
const COVER_SMOOTHING_MS = 20 * 60_000;

/**
 * What the composer knows of the sky, built only from bus events. Flickering inputs are
 * smoothed here (cloud cover is an exponential moving average over sky time), so that the
 * music does not flicker with them.
 */
export class WorldState {
  sunPhase: SunPhase | null = null;
  precipitating = false;
  precipitationKind: PrecipitationKind | string | null = null;
  humidityPercent: number | null = null;
  windSpeedMs: number | null = null;

  private weatherCover: number | null = null;
  private skyCover: number | null = null;
  private skyCoverAt = -Infinity;

  /** Subscribes to the events the world state follows; returns a function that unsubscribes. */
  follow(bus: EventBus): () => void {
    const stops = [
      bus.on('sun.phase.changed', 'world', ({ phase }) => {
        this.sunPhase = phase;
      }),
      bus.on('weather.observed', 'world', ({ observation }) => {
        this.weatherCover = observation.cloudCover.total;
        this.humidityPercent = observation.humidityPercent;
        this.windSpeedMs = observation.windSpeedMs;
      }),
      bus.on('precipitation.started', 'world', ({ kind }) => {
        this.precipitating = true;
        this.precipitationKind = kind;
      }),
      bus.on('precipitation.stopped', 'world', () => {
        this.precipitating = false;
        this.precipitationKind = null;
      }),
      bus.on('sky.observed', 'world', ({ at, coverFraction }) => this.observeSkyCover(at, coverFraction)),
    ];
    return () => stops.forEach((stop) => stop());
  }

  /**
   * Cloud cover 0..1 at `atMs`. The camera sees one patch of sky from one place and the
   * provider models a whole grid cell; while the camera's smoothed estimate is fresh the two
   * are averaged, otherwise whichever is known is used, else null (unknown).
   */
  cloudCover(atMs: number): number | null {
    const camera = this.skyCover !== null && atMs - this.skyCoverAt <= SKY_COVER_FRESH_MS ? this.skyCover : null;
    if (camera !== null && this.weatherCover !== null) return (camera + this.weatherCover) / 2;
    return camera ?? this.weatherCover;
  }

  private observeSkyCover(atMs: number, cover: number): void {
    if (this.skyCover === null || atMs - this.skyCoverAt > SKY_COVER_FRESH_MS) {
      this.skyCover = cover;
    } else {
      const weight = 1 - Math.exp(-(atMs - this.skyCoverAt) / COVER_SMOOTHING_MS);
      this.skyCover += (cover - this.skyCover) * weight;
    }
    this.skyCoverAt = atMs;
  }
}
