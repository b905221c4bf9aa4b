/**
 * Quantities derived from a time series of {@link WeatherObservation}s: pressure tendency,
 * temperature trend, precipitation falling or not, gusts, fog. Each is a pure function of the
 * series (or of one observation) returning a typed reading, or null when the series cannot
 * say: unknown stays unknown, never a guess. {@link DerivedTracker} takes observations in
 * time order and returns the events their changes make, shaped as bus events.
 *
 * Series are arrays in time order (by `validAt`); the reading is for the last observation
 * at or before `atMs` (by default the last one).
 */
import type { PrecipitationKind, WeatherObservation } from './observation.js';
import { isPrecipitatingWmo } from './wmo.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** The span both trends are measured over: three hours, the synoptic standard. */
export const TREND_SPAN_MS = 3 * HOUR_MS;

/**
 * How far from exactly three hours back the earlier observation may be. Hourly data has one
 * at exactly three hours; sparser or irregular data gives no trend rather than one over a
 * different span.
 */
export const TREND_SPAN_TOLERANCE_MS = 15 * MINUTE_MS;

/**
 * Pressure tendency over the preceding three hours, in the classes of the UK Met Office's
 * station reports (shipping forecast glossary, "Pressure tendency in station reports"):
 *
 * | class | change in 3 h |
 * | --- | --- |
 * | steady | less than 0.1 hPa |
 * | rising / falling slowly | 0.1 to 1.5 hPa |
 * | rising / falling | 1.6 to 3.5 hPa |
 * | rising / falling quickly | 3.6 to 6.0 hPa |
 * | rising / falling very rapidly | more than 6.0 hPa |
 *
 * The glossary's "now rising / now falling" (a turn within the three hours) is not derived.
 */
export type PressureTendency =
  | 'steady'
  | 'rising-slowly'
  | 'rising'
  | 'rising-quickly'
  | 'rising-very-rapidly'
  | 'falling-slowly'
  | 'falling'
  | 'falling-quickly'
  | 'falling-very-rapidly';

export interface PressureTendencyReading {
  /** The `validAt` of the latest observation, epoch ms. */
  at: number;
  tendency: PressureTendency;
  /** Sea-level pressure now minus three hours before, hPa, rounded to 0.1. */
  deltaHpa3h: number;
  /** The `validAt` of the observation it was compared with (three hours before, ±15 min). */
  fromAt: number;
}

/**
 * The class of a three-hour pressure change in hPa. The change is rounded to 0.1 hPa first,
 * the precision the classes are written in (and pressure reported in), so 1.54 is "slowly",
 * 1.56 is "rising", and float noise such as 0.09999999 is 0.1.
 */
export function pressureTendencyOf(deltaHpa3h: number): PressureTendency {
  const delta = roundTo(deltaHpa3h, 0.1);
  const size = Math.abs(delta);
  if (size < 0.1) return 'steady';

  const direction = delta > 0 ? 'rising' : 'falling';
  if (size <= 1.5) return `${direction}-slowly`;
  if (size <= 3.5) return direction;
  if (size <= 6) return `${direction}-quickly`;
  return `${direction}-very-rapidly`;
}

/**
 * The pressure tendency at the latest observation at or before `atMs`: null when that
 * observation has no pressure, or no observation with a pressure lies three hours before it
 * (within {@link TREND_SPAN_TOLERANCE_MS}).
 */
export function pressureTendencyAt(
  series: readonly WeatherObservation[],
  atMs = Infinity,
): PressureTendencyReading | null {
  const change = changeOver(series, atMs, (observation) => observation.pressureSeaLevelHpa);
  if (!change) return null;

  const deltaHpa3h = roundTo(change.delta, 0.1);
  const tendency = pressureTendencyOf(deltaHpa3h);
  return { at: change.at, tendency, deltaHpa3h, fromAt: change.fromAt };
}

/** Temperature over the preceding three hours. */
export type TemperatureTrend = 'rising' | 'falling' | 'steady';

/**
 * A change of at least this much over three hours (0.5 °C an hour) is a trend. There is no
 * standard class for air temperature; this one reads a clear morning's warming (1-2 °C an
 * hour) and a front's drop as trends, and an overcast day's drift of a degree as steady.
 */
export const TEMPERATURE_TREND_C3H = 1.5;

export interface TemperatureTrendReading {
  /** The `validAt` of the latest observation, epoch ms. */
  at: number;
  trend: TemperatureTrend;
  /** Temperature now minus three hours before, °C, rounded to 0.1. */
  deltaC3h: number;
  /** The `validAt` of the observation it was compared with. */
  fromAt: number;
}

/** The trend of a three-hour temperature change in °C, rounded to 0.1 °C first. */
export function temperatureTrendOf(deltaC3h: number): TemperatureTrend {
  const delta = roundTo(deltaC3h, 0.1);
  if (delta >= TEMPERATURE_TREND_C3H) return 'rising';
  if (delta <= -TEMPERATURE_TREND_C3H) return 'falling';
  return 'steady';
}

/** The temperature trend at the latest observation at or before `atMs`; null as for pressure. */
export function temperatureTrendAt(
  series: readonly WeatherObservation[],
  atMs = Infinity,
): TemperatureTrendReading | null {
  const change = changeOver(series, atMs, (observation) => observation.temperatureC);
  if (!change) return null;

  const deltaC3h = roundTo(change.delta, 0.1);
  return { at: change.at, trend: temperatureTrendOf(deltaC3h), deltaC3h, fromAt: change.fromAt };
}

export interface PrecipitationReading {
  at: number;
  falling: boolean;
  /** What falls, where known (null when nothing falls). */
  kind: PrecipitationKind | null;
  rateMmPerHour: number | null;
}

/**
 * Whether anything is falling, by one rule ({@link isFalling}: a positive
 * rate or a precipitating WMO code); null when the observation knows neither.
 */
export function precipitationOf(observation: WeatherObservation): PrecipitationReading | null {
  const falling = isFalling(observation);
  if (falling === null) return null;

  const { kind, rateMmPerHour } = observation.precipitation;
  return { at: observation.validAt, falling, kind: falling ? kind : null, rateMmPerHour };
}

/**
 * A gust at or above this is an event whatever the mean wind: 17.2 m/s, the bottom of
 * Beaufort force 8 (gale, 34 kt).
 */
export const GALE_GUST_MS = 17.2;

/**
 * A gust this far above the mean wind is an event: 10 kt (5.14 m/s), the margin from which
 * METAR reports gusts (WMO No. 306, FM 15; ICAO Annex 3).
 */
export const GUST_MARGIN_MS = 10 * 0.514444;

export interface GustReading {
  at: number;
  gusty: boolean;
  gustMs: number;
  meanMs: number | null;
}

/**
 * Whether the wind is gusty: the gust is at least {@link GALE_GUST_MS}, or exceeds the mean
 * by at least {@link GUST_MARGIN_MS}. Null when the gust is unknown, or below gale with the
 * mean unknown (the margin cannot be told). Open-Meteo's hourly gust is the highest of the
 * preceding hour and its mean wind an instant's, so its margin reads a little high.
 */
export function gustOf(observation: WeatherObservation): GustReading | null {
  const gustMs = observation.windGustMs;
  const meanMs = observation.windSpeedMs;
  if (gustMs === null) return null;

  const gale = gustMs >= GALE_GUST_MS;
  if (!gale && meanMs === null) return null;

  const gusty = gale || gustMs - meanMs! >= GUST_MARGIN_MS;
  return { at: observation.validAt, gusty, gustMs, meanMs };
}

/** Visibility below this is fog: 1,000 m, the WMO definition (and the shipping forecast's). */
export const FOG_VISIBILITY_M = 1000;

export interface FogReading {
  at: number;
  foggy: boolean;
  visibilityM: number | null;
  wmoCode: number | null;
}

/**
 * Whether there is fog: visibility below {@link FOG_VISIBILITY_M}, or a WMO code for fog at
 * the station (41-49; Open-Meteo sends 45, fog, and 48, depositing rime fog). Null when both
 * are unknown. Visibility cut below 1 km by heavy snow or rain also reads as fog: the reading
 * does not tell droplets from flakes.
 */
export function fogOf(observation: WeatherObservation): FogReading | null {
  const { visibilityM, wmoCode } = observation;
  if (visibilityM === null && wmoCode === null) return null;

  const byCode = wmoCode !== null && wmoCode >= 41 && wmoCode <= 49;
  const byVisibility = visibilityM !== null && visibilityM < FOG_VISIBILITY_M;
  return { at: observation.validAt, foggy: byCode || byVisibility, visibilityM, wmoCode };
}

/** A quantity's value now and three hours before, from the series. */
interface Change {
  at: number;
  fromAt: number;
  delta: number;
}

/** The change of `read` over {@link TREND_SPAN_MS} to the last observation at or before `atMs`. */
function changeOver(
  series: readonly WeatherObservation[],
  atMs: number,
  read: (observation: WeatherObservation) => number | null,
): Change | null {
  let index = series.length - 1;
  while (index >= 0 && series[index]!.validAt > atMs) index--;
  if (index < 0) return null;

  const latest = series[index]!;
  const now = read(latest);
  if (now === null) return null;

  const targetMs = latest.validAt - TREND_SPAN_MS;
  let best: WeatherObservation | null = null;
  for (let i = index - 1; i >= 0; i--) {
    const candidate = series[i]!;
    const offMs = Math.abs(candidate.validAt - targetMs);
    if (candidate.validAt < targetMs - TREND_SPAN_TOLERANCE_MS) break;
    if (offMs > TREND_SPAN_TOLERANCE_MS || read(candidate) === null) continue;
    if (!best || offMs < Math.abs(best.validAt - targetMs)) best = candidate;
  }
  if (!best) return null;

  return { at: latest.validAt, fromAt: best.validAt, delta: now - read(best)! };
}

/** `value` rounded to a multiple of `step` (0.1), without float tails (0.30000000000000004). */
function roundTo(value: number, step: number): number {
  const places = Math.round(-Math.log10(step));
  // Adding 0 turns -0 (a tiny fall rounded away) into 0.
  return Number((Math.round(value / step) * step).toFixed(places)) + 0;
}

/**
 * The events a {@link DerivedTracker} returns, named and shaped as bus events: past-tense
 * facts with `at`, ready to join `SkyEvents`. The precipitation pair is the bus's own.
 */
export interface DerivedEvents {
  /** The three-hour pressure class changed (or became known: `previous` null). */
  'pressure.trend.changed': {
    at: number;
    tendency: PressureTendency;
    deltaHpa3h: number;
    previous: PressureTendency | null;
  };
  /** The three-hour temperature trend changed (or became known: `previous` null). */
  'temperature.trend.changed': {
    at: number;
    trend: TemperatureTrend;
    deltaC3h: number;
    previous: TemperatureTrend | null;
  };
  'precipitation.started': { at: number; kind: string; rateMmPerHour: number | null };
  'precipitation.stopped': { at: number };
  /** Gusts began to stand out (see {@link gustOf}). */
  'wind.gusts.started': { at: number; gustMs: number; meanMs: number | null };
  /** Gusts no longer stand out; the values are the calmer observation's. */
  'wind.gusts.stopped': { at: number; gustMs: number; meanMs: number | null };
  /** Fog formed (see {@link fogOf}). */
  'fog.formed': { at: number; visibilityM: number | null; wmoCode: number | null };
  /** Fog cleared; the values are the clearer observation's. */
  'fog.cleared': { at: number; visibilityM: number | null; wmoCode: number | null };
}

export type DerivedEventName = keyof DerivedEvents;

/** One derived event with its name, as `bus.publish(event.name, event.payload)` takes it. */
export type DerivedEvent = {
  [Name in DerivedEventName]: { name: Name; payload: DerivedEvents[Name] };
}[DerivedEventName];

/** Every derived reading at the latest observation; null where it cannot be known. */
export interface DerivedState {
  pressure: PressureTendencyReading | null;
  temperature: TemperatureTrendReading | null;
  precipitation: PrecipitationReading | null;
  gusts: GustReading | null;
  fog: FogReading | null;
}

/**
 * Takes observations in time order and returns, for each, the events its derived quantities'
 * changes make, so that a caller publishes on change only.
 *
 * - The trends are published when first known (`previous: null`) and at each change of class.
 * - Precipitation, gusts and fog are lifecycles: a start when they begin (or are first known
 *   to be happening), a stop when they end; a first state of "nothing" is not news. A change
 *   of kind while falling (drizzle to rain) is not an event. This is the weather stage's rule
 *   for precipitation, by the same {@link isFalling}: a caller wiring both publishes the
 *   precipitation pair from one of them only.
 * - A quantity that becomes unknown publishes nothing and keeps its last known state; when it
 *   is known again it is compared with that state.
 *
 * An observation with the same `validAt` as the last replaces it (a revised reply); an older
 * one is ignored and returns no events. Only the last three hours and a quarter are kept.
 */
export class DerivedTracker {
  /** Observations in time order, back to three hours and a quarter before the latest. */
  private history: WeatherObservation[] = [];
  /** The readings at the latest observation. */
  private readings: DerivedState = emptyState();
  /** The last known classes and states, which changes are measured against. */
  private known: {
    tendency: PressureTendency | null;
    trend: TemperatureTrend | null;
    falling: boolean | null;
    gusty: boolean | null;
    foggy: boolean | null;
  } = { tendency: null, trend: null, falling: null, gusty: null, foggy: null };

  /** The readings at the latest observation taken. */
  get state(): DerivedState {
    return this.readings;
  }

  /**
   * Takes the next observation and returns the events it makes, stamped `atMs` (by default
   * its `validAt`; a stage publishing an hour later than the row starts passes its instant).
   */
  add(observation: WeatherObservation, atMs = observation.validAt): DerivedEvent[] {
    const last = this.history.at(-1);
    if (last && observation.validAt < last.validAt) return [];
    if (last && observation.validAt === last.validAt) this.history.pop();

    this.history.push(observation);
    const oldestMs = observation.validAt - TREND_SPAN_MS - TREND_SPAN_TOLERANCE_MS;
    while (this.history[0]!.validAt < oldestMs) this.history.shift();

    this.readings = {
      pressure: pressureTendencyAt(this.history),
      temperature: temperatureTrendAt(this.history),
      precipitation: precipitationOf(observation),
      gusts: gustOf(observation),
      fog: fogOf(observation),
    };
    return [
      ...this.pressureEvents(atMs),
      ...this.temperatureEvents(atMs),
      ...this.precipitationEvents(atMs),
      ...this.gustEvents(atMs),
      ...this.fogEvents(atMs),
    ];
  }

  private pressureEvents(at: number): DerivedEvent[] {
    const reading = this.readings.pressure;
    const previous = this.known.tendency;
    if (!reading || reading.tendency === previous) return [];

    this.known.tendency = reading.tendency;
    const { tendency, deltaHpa3h } = reading;
    const payload = { at, tendency, deltaHpa3h, previous };
    return [{ name: 'pressure.trend.changed', payload }];
  }

  private temperatureEvents(at: number): DerivedEvent[] {
    const reading = this.readings.temperature;
    const previous = this.known.trend;
    if (!reading || reading.trend === previous) return [];

    this.known.trend = reading.trend;
    const { trend, deltaC3h } = reading;
    return [{ name: 'temperature.trend.changed', payload: { at, trend, deltaC3h, previous } }];
  }

  private precipitationEvents(at: number): DerivedEvent[] {
    const reading = this.readings.precipitation;
    const was = this.known.falling;
    if (!reading || reading.falling === was) return [];

    this.known.falling = reading.falling;
    if (reading.falling) {
      const payload = { at, kind: reading.kind ?? 'rain', rateMmPerHour: reading.rateMmPerHour };
      return [{ name: 'precipitation.started', payload }];
    }
    return was === null ? [] : [{ name: 'precipitation.stopped', payload: { at } }];
  }

  private gustEvents(at: number): DerivedEvent[] {
    const reading = this.readings.gusts;
    const was = this.known.gusty;
    if (!reading || reading.gusty === was) return [];

    this.known.gusty = reading.gusty;
    const payload = { at, gustMs: reading.gustMs, meanMs: reading.meanMs };
    if (reading.gusty) return [{ name: 'wind.gusts.started', payload }];
    return was === null ? [] : [{ name: 'wind.gusts.stopped', payload }];
  }

  private fogEvents(at: number): DerivedEvent[] {
    const reading = this.readings.fog;
    const was = this.known.foggy;
    if (!reading || reading.foggy === was) return [];

    this.known.foggy = reading.foggy;
    const payload = { at, visibilityM: reading.visibilityM, wmoCode: reading.wmoCode };
    if (reading.foggy) return [{ name: 'fog.formed', payload }];
    return was === null ? [] : [{ name: 'fog.cleared', payload }];
  }
}

function emptyState(): DerivedState {
  return { pressure: null, temperature: null, precipitation: null, gusts: null, fog: null };
}

/**
 * Whether precipitation is falling: a positive rate or a precipitating WMO code. Null when
 * the observation knows neither (a null rate and a null code).
 */
export function isFalling(observation: WeatherObservation): boolean | null {
  const rate = observation.precipitation.rateMmPerHour;
  const code = observation.wmoCode;
  if (rate === null && code === null) return null;
  return (rate !== null && rate > 0) || (code !== null && isPrecipitatingWmo(code));
}
