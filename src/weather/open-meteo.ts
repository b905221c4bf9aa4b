/**
 * Open-Meteo replies → normalised {@link WeatherObservation}s. Parsing happens here, at the
 * boundary: a reply that is not JSON, does not fit the schema, or holds an implausible value
 * gives a {@link WeatherReplyError} naming the field and the value; nothing past this file
 * sees raw provider JSON.
 *
 * Time: hourly `time` values are local wall times in the reply's timezone ("2023-07-29T08:00")
 * and are turned into UTC instants with the reply's single `utc_offset_seconds`. A reply that
 * spans a daylight-saving change (a forecast across the last Sunday of March or October in
 * Europe) carries one offset for all its rows, so the rows after the change come out one hour
 * off. Ask Open-Meteo for `timezone=GMT` or `timeformat=unixtime` to avoid it; unix-second
 * times (and strings with an explicit offset or "Z") are read as instants and need no offset.
 *
 * Meaning of a row: Open-Meteo sums precipitation over the hour *before* each time step; this
 * module treats the row at T as describing [T, T + 1 h), the convention the rest of skychoir
 * (and the recorded days) use. The shift is at most one hour.
 */
import type { PrecipitationKind, WeatherObservation } from './observation.js';
import { formatPath, WeatherReplyError } from './reply-error.js';
import {
  OPEN_METEO_VARIABLES,
  openMeteoErrorSchema,
  openMeteoReplySchema,
  type OpenMeteoQuantity,
  type RawOpenMeteoReply,
} from './open-meteo-schema.js';
import { asIntegerCode, checkPlausible, convertToCanonical } from './open-meteo-units.js';
import { precipitationKindOfWmo } from './wmo.js';

const PROVIDER = 'open-meteo';
const HOUR_MS = 3_600_000;
/** Open-Meteo's `current` block describes 15 minutes unless it says otherwise. */
const DEFAULT_CURRENT_INTERVAL_S = 900;

/** A parsed Open-Meteo reply, in UTC instants and metric units. */
export interface OpenMeteoReply {
  provider: 'open-meteo';
  latitude: number;
  longitude: number;
  /** IANA zone the reply's local times were in, where given. */
  timezone: string | null;
  utcOffsetS: number;
  /** Hourly rows in time order; row i describes [validAt_i, validAt_{i+1}), the last one hour. */
  hours: WeatherObservation[];
  /** The `current` block, describing [validAt, validAt + intervalMs), where the reply has one. */
  current: { observation: WeatherObservation; intervalMs: number } | null;
  /** Sunrise and sunset per local day (epoch ms), where the reply has a daily block. */
  days: { localDate: string; sunriseAt: number | null; sunsetAt: number | null }[];
}

/** Parses an Open-Meteo reply body. Throws {@link WeatherReplyError}, never anything else. */
export function parseOpenMeteo(body: string): OpenMeteoReply {
  const json = parseJson(body);
  rejectProviderError(json);

  const checked = openMeteoReplySchema.safeParse(json, { reportInput: true });
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const problem = (issue?.message ?? 'does not fit the schema').replace(/^Invalid input: /, '');
    throw new WeatherReplyError(PROVIDER, formatPath(issue?.path ?? []), issue?.input, problem);
  }

  const raw = checked.data;
  const days = readDaily(raw);
  const hours = readHourly(raw, days);
  const current = readCurrent(raw, days);

  return {
    provider: PROVIDER,
    latitude: raw.latitude,
    longitude: raw.longitude,
    timezone: raw.timezone ?? null,
    utcOffsetS: raw.utc_offset_seconds,
    hours,
    current,
    days,
  };
}

/**
 * The observation in force at `atMs`: the hourly row whose hour contains it, else the
 * `current` block if its interval contains it; null outside the reply's range.
 */
export function observationAt(reply: OpenMeteoReply, atMs: number): WeatherObservation | null {
  const index = hourIndexAt(reply, atMs);
  if (index !== null) return reply.hours[index] ?? null;

  const current = reply.current;
  if (current && atMs >= current.observation.validAt && atMs < current.observation.validAt + current.intervalMs) {
    return current.observation;
  }
  return null;
}

/** Index of the hourly row whose hour contains `atMs`, or null. */
export function hourIndexAt(reply: OpenMeteoReply, atMs: number): number | null {
  const hours = reply.hours;
  for (let i = hours.length - 1; i >= 0; i--) {
    const start = hours[i]!.validAt;
    if (atMs < start) continue;
    const end = i + 1 < hours.length ? hours[i + 1]!.validAt : start + HOUR_MS;
    return atMs < end ? i : null;
  }
  return null;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new WeatherReplyError(PROVIDER, '', body, `not JSON (${reason})`);
  }
}

function rejectProviderError(json: unknown): void {
  const providerError = openMeteoErrorSchema.safeParse(json);
  if (providerError.success) {
    throw new WeatherReplyError(PROVIDER, 'reason', providerError.data.reason, 'the provider reported an error');
  }
}

/** One block's series: quantity → values by row (already converted and checked). */
type Series = Partial<Record<OpenMeteoQuantity, (number | null)[]>>;

function readHourly(raw: RawOpenMeteoReply, days: OpenMeteoReply['days']): WeatherObservation[] {
  if (!raw.hourly) return [];

  // The block's shape is built from the variable table, so zod cannot name its keys.
  const block = raw.hourly as Record<string, unknown> & { time: (string | number)[] };
  const times = block.time.map((value, i) => toInstant(value, raw, `hourly.time[${i}]`));
  for (let i = 1; i < times.length; i++) {
    if (times[i]! <= times[i - 1]!) {
      throw new WeatherReplyError(PROVIDER, `hourly.time[${i}]`, block.time[i], 'not after the previous time');
    }
  }

  const series: Series = {};
  for (const [quantity, names] of Object.entries(OPEN_METEO_VARIABLES) as [OpenMeteoQuantity, readonly string[]][]) {
    const name = names.find((candidate) => block[candidate] !== undefined);
    if (!name) continue;

    const values = block[name] as (number | null)[];
    if (values.length !== times.length) {
      throw new WeatherReplyError(PROVIDER, `hourly.${name}`, values.length, `has ${values.length} values for ${times.length} times`);
    }
    const unit = raw.hourly_units?.[name];
    series[quantity] = values.map((value, i) => convertChecked(quantity, value, unit, `hourly.${name}[${i}]`, `hourly_units.${name}`));
  }

  return times.map((validAt, row) => buildObservation(validAt, series, row, raw, days));
}

function readCurrent(raw: RawOpenMeteoReply, days: OpenMeteoReply['days']): OpenMeteoReply['current'] {
  if (raw.current) {
    const block = raw.current as Record<string, unknown> & { time: string | number; interval?: number };
    const series: Series = {};
    for (const [quantity, names] of Object.entries(OPEN_METEO_VARIABLES) as [OpenMeteoQuantity, readonly string[]][]) {
      const name = names.find((candidate) => block[candidate] !== undefined);
      if (!name) continue;
      const unit = raw.current_units?.[name];
      series[quantity] = [convertChecked(quantity, block[name] as number | null, unit, `current.${name}`, `current_units.${name}`)];
    }
    const validAt = toInstant(block.time, raw, 'current.time');
    const intervalMs = (block.interval ?? DEFAULT_CURRENT_INTERVAL_S) * 1000;
    return { observation: buildObservation(validAt, series, 0, raw, days), intervalMs };
  }

  if (raw.current_weather) {
    const block = raw.current_weather;
    const units = raw.current_weather_units;
    const legacy: [OpenMeteoQuantity, string, number | null | undefined][] = [
      ['temperature', 'temperature', block.temperature],
      ['windSpeed', 'windspeed', block.windspeed],
      ['windDirection', 'winddirection', block.winddirection],
      ['weatherCode', 'weathercode', block.weathercode],
    ];
    const series: Series = {};
    for (const [quantity, name, value] of legacy) {
      if (value === undefined) continue;
      series[quantity] = [convertChecked(quantity, value, units?.[name], `current_weather.${name}`, `current_weather_units.${name}`)];
    }
    const validAt = toInstant(block.time, raw, 'current_weather.time');
    const intervalMs = (block.interval ?? DEFAULT_CURRENT_INTERVAL_S) * 1000;
    return { observation: buildObservation(validAt, series, 0, raw, days), intervalMs };
  }

  return null;
}

function readDaily(raw: RawOpenMeteoReply): OpenMeteoReply['days'] {
  const daily = raw.daily;
  if (!daily) return [];

  const readInstants = (name: 'sunrise' | 'sunset'): (number | null)[] => {
    const values = daily[name];
    if (!values) return daily.time.map(() => null);
    if (values.length !== daily.time.length) {
      throw new WeatherReplyError(PROVIDER, `daily.${name}`, values.length, `has ${values.length} values for ${daily.time.length} days`);
    }
    return values.map((value, i) => (value === null ? null : toInstant(value, raw, `daily.${name}[${i}]`)));
  };

  const sunrises = readInstants('sunrise');
  const sunsets = readInstants('sunset');
  return daily.time.map((value, i) => ({
    localDate: localDateOf(value, raw, `daily.time[${i}]`),
    sunriseAt: sunrises[i] ?? null,
    sunsetAt: sunsets[i] ?? null,
  }));
}

function convertChecked(
  quantity: OpenMeteoQuantity,
  value: number | null,
  unit: string | undefined,
  valuePath: string,
  unitPath: string,
): number | null {
  if (value === null) return null;

  const converted = convertToCanonical(quantity, value, unit);
  if (converted === undefined) {
    throw new WeatherReplyError(PROVIDER, unitPath, unit, 'unit not understood');
  }
  const problem = checkPlausible(quantity, converted);
  if (problem) throw new WeatherReplyError(PROVIDER, valuePath, value, problem);
  return quantity === 'weatherCode' ? asIntegerCode(converted) : converted;
}

function buildObservation(
  validAt: number,
  series: Series,
  row: number,
  raw: RawOpenMeteoReply,
  days: OpenMeteoReply['days'],
): WeatherObservation {
  const at = (quantity: OpenMeteoQuantity): number | null => series[quantity]?.[row] ?? null;
  const wmoCode = at('weatherCode');
  const rateMmPerHour = at('precipitation') ?? sumKnown(at('rain'), at('showers'));
  const localDate = new Date(validAt + raw.utc_offset_seconds * 1000).toISOString().slice(0, 10);
  const day = days.find((candidate) => candidate.localDate === localDate);

  return {
    validAt,
    temperatureC: at('temperature'),
    pressureSeaLevelHpa: at('pressure'),
    humidityPercent: at('humidity'),
    windSpeedMs: at('windSpeed'),
    windDirectionDeg: at('windDirection'),
    windGustMs: at('windGust'),
    cloudCover: { total: at('cloudTotal'), low: at('cloudLow'), mid: at('cloudMid'), high: at('cloudHigh') },
    precipitation: { rateMmPerHour, kind: precipitationKind(wmoCode, rateMmPerHour, at('snowfall')) },
    visibilityM: at('visibility'),
    wmoCode,
    sunriseAt: day?.sunriseAt ?? null,
    sunsetAt: day?.sunsetAt ?? null,
  };
}

/** The code's kind when it reports precipitation; else snow or rain when an amount fell. */
function precipitationKind(wmoCode: number | null, rateMmPerHour: number | null, snowfallCm: number | null): PrecipitationKind | null {
  const fromCode = wmoCode === null ? null : precipitationKindOfWmo(wmoCode);
  if (fromCode) return fromCode;
  if (snowfallCm !== null && snowfallCm > 0) return 'snow';
  if (rateMmPerHour !== null && rateMmPerHour > 0) return 'rain';
  return null;
}

function sumKnown(...values: (number | null)[]): number | null {
  const known = values.filter((value): value is number => value !== null);
  return known.length === 0 ? null : known.reduce((total, value) => total + value, 0);
}

const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const EXPLICIT_ZONE = /(?:Z|[+-]\d{2}:?\d{2})$/;

/** A time value as an instant: local wall time shifted by the reply's offset, or unix seconds. */
function toInstant(value: string | number, raw: RawOpenMeteoReply, path: string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new WeatherReplyError(PROVIDER, path, value, 'not a time');
    return value * 1000;
  }

  if (EXPLICIT_ZONE.test(value)) {
    const instant = Date.parse(value);
    if (Number.isNaN(instant)) throw new WeatherReplyError(PROVIDER, path, value, 'not a time');
    return instant;
  }

  const match = LOCAL_TIME.exec(value);
  if (!match) throw new WeatherReplyError(PROVIDER, path, value, 'not a time like 2023-07-29T08:00');
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0));
  const wallMs = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
  if (new Date(wallMs).getUTCDate() !== day) throw new WeatherReplyError(PROVIDER, path, value, 'not a real date');
  return wallMs - raw.utc_offset_seconds * 1000;
}

/** The local calendar date ("2023-07-29") of a daily `time` entry. */
function localDateOf(value: string | number, raw: RawOpenMeteoReply, path: string): string {
  if (typeof value === 'string' && LOCAL_TIME.test(value)) return value.slice(0, 10);
  const instant = toInstant(value, raw, path);
  return new Date(instant + raw.utc_offset_seconds * 1000).toISOString().slice(0, 10);
}
