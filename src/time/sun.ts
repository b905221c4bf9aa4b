/**
 * The sun's elevation and the phase of the day it gives, from suncalc, and a watcher that
 * publishes phase changes on the bus.
 *
 * Elevation is the apparent altitude of the sun's centre in degrees, as suncalc 2 gives it:
 * atmospheric refraction included, so near and below the horizon it reads about 0.48° higher
 * than the geometric altitude. The standard lines of the day (civil twilight at -6°, sunrise
 * and sunset at -0.833°) are geometric; each is moved once into apparent terms so that phase
 * changes fall on the instants suncalc's own `getTimes` (and published almanacs) give.
 */
import { getPosition, getTimes } from 'suncalc';
import type { EventBus } from '../bus/bus.js';
import type { Clock } from './clock.js';

/** Phases of the day by the sun's elevation and whether it is rising or setting. */
export type SunPhase = 'night' | 'dawn' | 'sunrise' | 'day' | 'golden' | 'sunset' | 'dusk';

/** Geometric altitude of the sun's centre at standard sunrise and sunset. */
const SUNRISE_GEOMETRIC_DEG = -0.833;
/** Geometric altitude at the start and end of civil twilight. */
const CIVIL_TWILIGHT_GEOMETRIC_DEG = -6;

/**
 * suncalc's refraction at and below the horizon (constant there), read from suncalc itself:
 * its apparent altitude at the instant its `getTimes` puts the sun on the sunrise line. The
 * reference is an equinox at the equator, where the sun always rises.
 */
const HORIZON_REFRACTION_DEG = ((): number => {
  const sunrise = getTimes(new Date(Date.UTC(2000, 2, 20, 12)), 0, 0).sunrise;
  if (!sunrise) return 0.48;
  return getPosition(sunrise, 0, 0).altitude - SUNRISE_GEOMETRIC_DEG;
})();

/**
 * The lines between phases, in apparent elevation degrees:
 *
 * - night below `twilight` (civil twilight, -6° geometric), rising or setting;
 * - rising: dawn from `twilight` to `horizon` (standard sunrise, -0.833° geometric), sunrise
 *   from `horizon` to `high`, day above `high`;
 * - setting: day above `high`, golden from `high` to `low`, sunset from `low` down to `horizon`
 *   (the disc going down), dusk from `horizon` to `twilight`.
 *
 * `high` (6°) and `low` (1°) are taken as apparent: refraction there is 0.4° or less, about a
 * minute of sun movement at mid latitudes.
 */
export const SUN_PHASE_LINES_DEG = {
  twilight: CIVIL_TWILIGHT_GEOMETRIC_DEG + HORIZON_REFRACTION_DEG,
  horizon: SUNRISE_GEOMETRIC_DEG + HORIZON_REFRACTION_DEG,
  low: 1,
  high: 6,
} as const;

/** How far ahead the elevation is compared to tell rising from setting. */
const TREND_MS = 5 * 60_000;

/** Apparent elevation of the sun's centre above the horizon, degrees (negative below). */
export function sunElevationDeg(atMs: number, latitude: number, longitude: number): number {
  return getPosition(new Date(atMs), latitude, longitude).altitude;
}

/**
 * The phase of the day at `atMs` (see {@link SUN_PHASE_LINES_DEG}). Rising or setting is
 * read from the elevation five minutes later.
 *
 * Polar day and polar night are ordinary inputs (no NaN, no exception): the phase follows the
 * elevation, which is always defined, and the names are those of the light. A sun that stays
 * above 6° is day all day and one that stays below civil twilight is night all day (Svalbard,
 * McMurdo at the solstices). Nearer the polar circles the sun still crosses some lines: under
 * Tromsø's midnight sun it dips below 6° around midnight without setting (day, golden,
 * sunrise, day), and in its polar night it climbs into civil twilight around noon without
 * rising (night, dawn, dusk, night). Each direction flips once, at the sun's highest or lowest
 * point. The phase names never say "polar": {@link polarStateAt} does.
 */
export function sunPhaseAt(atMs: number, latitude: number, longitude: number): SunPhase {
  const elevationDeg = sunElevationDeg(atMs, latitude, longitude);
  const rising = sunElevationDeg(atMs + TREND_MS, latitude, longitude) > elevationDeg;
  return phaseOf(elevationDeg, rising);
}

/** The phase for an apparent elevation and a direction of travel. */
export function phaseOf(elevationDeg: number, rising: boolean): SunPhase {
  const lines = SUN_PHASE_LINES_DEG;
  if (elevationDeg < lines.twilight) return 'night';

  if (rising) {
    if (elevationDeg < lines.horizon) return 'dawn';
    if (elevationDeg < lines.high) return 'sunrise';
    return 'day';
  }

  if (elevationDeg >= lines.high) return 'day';
  if (elevationDeg >= lines.low) return 'golden';
  if (elevationDeg >= lines.horizon) return 'sunset';
  return 'dusk';
}

/**
 * Polar day: the sun does not set on this day (its lowest point stays above the standard
 * sunrise line). Polar night: it does not rise (its highest point stays below that line).
 */
export type PolarState = 'polar-day' | 'polar-night';

/**
 * Whether the solar day around `atMs` is a polar day or a polar night, or null for an
 * ordinary day with a sunrise and a sunset. The day is suncalc's: the one whose solar noon is
 * nearest `atMs` (its `getTimes` flags `alwaysUp` and `alwaysDown`), on the same standard
 * sunrise line as the phases, so a polar night has no sunrise phase and a polar day no
 * sunset. Civil twilight may still come in a polar night (Tromsø around noon in December);
 * the phases say so.
 */
export function polarStateAt(atMs: number, latitude: number, longitude: number): PolarState | null {
  checkPlace(latitude, longitude);
  const times = getTimes(new Date(atMs), latitude, longitude);
  if (times.alwaysUp) return 'polar-day';
  if (times.alwaysDown) return 'polar-night';
  return null;
}

/** Throws a RangeError naming the value unless it is a latitude and longitude in degrees. */
function checkPlace(latitude: number, longitude: number): void {
  if (!(Math.abs(latitude) <= 90)) {
    throw new RangeError(`latitude must be within -90..90 degrees, got ${latitude}`);
  }
  if (!(Math.abs(longitude) <= 180)) {
    throw new RangeError(`longitude must be within -180..180 degrees, got ${longitude}`);
  }
}

export interface SunWatcherOptions {
  bus: EventBus;
  clock: Clock;
  latitude: number;
  longitude: number;
  /** Milliseconds between checks; a change is published at the first check after it. */
  stepMs?: number;
}

/**
 * Publishes `sun.phase.changed`: once at start (with `previous: null`), then at each check
 * (every `stepMs`, on multiples of it since the epoch) where the phase differs from the last
 * one published. A change is therefore late by up to `stepMs`.
 *
 * It never schedules further ahead than one step, polar night or not (a day without a change
 * is 1,440 cheap checks at the default step), so no wait comes near Node's timer limit; the
 * clock takes any longer wait in pieces anyway.
 */
export class SunWatcher {
  private readonly bus: EventBus;
  private readonly clock: Clock;
  private readonly latitude: number;
  private readonly longitude: number;
  private readonly stepMs: number;
  /** The phase last published; null before start. */
  private phase: SunPhase | null = null;
  /** Cancels the next check; null when stopped. */
  private cancelNext: (() => void) | null = null;
  /** Bumped by stop(), so a check already running does not schedule another. */
  private generation = 0;

  constructor({ bus, clock, latitude, longitude, stepMs = 60_000 }: SunWatcherOptions) {
    if (!(stepMs > 0 && Number.isFinite(stepMs))) {
      throw new RangeError(`SunWatcher stepMs must be a positive number of ms, got ${stepMs}`);
    }
    checkPlace(latitude, longitude);
    this.bus = bus;
    this.clock = clock;
    this.latitude = latitude;
    this.longitude = longitude;
    this.stepMs = stepMs;
  }

  /** Publishes the phase now and starts checking. Calling it again restarts the watch. */
  async start(): Promise<void> {
    this.stop();
    this.phase = null;

    const nowMs = this.clock.now();
    await this.check(nowMs);
    this.scheduleNext(nowMs);
  }

  /** Stops checking. */
  stop(): void {
    this.generation++;
    this.cancelNext?.();
    this.cancelNext = null;
  }

  private scheduleNext(afterMs: number): void {
    const generation = this.generation;
    const atMs = (Math.floor(afterMs / this.stepMs) + 1) * this.stepMs;
    this.cancelNext = this.clock.schedule(atMs, async () => {
      await this.check(atMs);
      if (generation === this.generation) this.scheduleNext(atMs);
    });
  }

  private async check(atMs: number): Promise<void> {
    const elevationDeg = sunElevationDeg(atMs, this.latitude, this.longitude);
    const rising = sunElevationDeg(atMs + TREND_MS, this.latitude, this.longitude) > elevationDeg;
    const phase = phaseOf(elevationDeg, rising);
    if (phase === this.phase) return;

    const previous = this.phase;
    this.phase = phase;
    await this.bus.publish('sun.phase.changed', { at: atMs, phase, previous, elevationDeg });
  }
}
