import type { EventBus } from '../bus/bus.js';
import { seasonAt, type Season } from '../time/season.js';
import type { SunPhase } from '../time/sun.js';
import type { PressureTendency } from '../weather/derived.js';
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
  /** Sea-level pressure of the latest observation, hPa. */
  pressureHpa: number | null = null;
  /** The three-hour pressure tendency, once the weather has told one. */
  pressureTendency: PressureTendency | null = null;
  /** Whether fog has formed (and not cleared), by the weather's visibility or code. */
  foggy = false;
  /** Whether gusts stand out from the mean wind now. */
  gusty = false;

  /**
   * @param latitude degrees north of the place, for the season's hemisphere; without one the
   *   season is the northern meteorological one of the UTC month.
   */
  constructor(private readonly latitude: number | null = null) {}

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
        this.pressureHpa = observation.pressureSeaLevelHpa;
      }),
      bus.on('pressure.trend.changed', 'world', ({ tendency }) => {
        this.pressureTendency = tendency;
      }),
      bus.on('fog.formed', 'world', () => {
        this.foggy = true;
      }),
      bus.on('fog.cleared', 'world', () => {
        this.foggy = false;
      }),
      bus.on('wind.gusts.started', 'world', () => {
        this.gusty = true;
      }),
      bus.on('wind.gusts.stopped', 'world', () => {
        this.gusty = false;
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
   * The season at `atMs`: astronomical at the place's latitude when it is known (southern
   * seasons below the equator), else the northern meteorological season of the UTC month.
   */
  season(atMs: number): Season {
    return this.latitude === null ? seasonAt(atMs, 0, 'meteorological') : seasonAt(atMs, this.latitude);
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
