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
import type { ForecastReply, PrecipitationKind, WeatherObservation } from './observation.js';
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
const DEFAULT_INTERVAL_S = 900;

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
export function observationAt(reply: ForecastReply, atMs: number): WeatherObservation | null {
  const index = hourIndexAt(reply, atMs);
  if (index !== null) return reply.hours[index] ?? null;

  const current = reply.current;
  if (!current) return null;
  const { validAt } = current.observation;
  return atMs >= validAt && atMs < validAt + current.intervalMs ? current.observation : null;
}

/** Index of the hourly row whose hour contains `atMs`, or null. */
export function hourIndexAt(reply: ForecastReply, atMs: number): number | null {
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
  if (!providerError.success) return;

  const { reason } = providerError.data;
  throw new WeatherReplyError(PROVIDER, 'reason', reason, 'the provider reported an error');
}

/** One block's series: quantity → values by row (already converted and checked). */
type Series = Partial<Record<OpenMeteoQuantity, (number | null)[]>>;

const QUANTITIES = Object.entries(OPEN_METEO_VARIABLES) as [OpenMeteoQuantity, readonly string[]][];

/** The first of a quantity's names that the block carries. */
function nameIn(block: Record<string, unknown>, names: readonly string[]): string | undefined {
  return names.find((candidate) => block[candidate] !== undefined);
}

function readHourly(raw: RawOpenMeteoReply, days: OpenMeteoReply['days']): WeatherObservation[] {
  if (!raw.hourly) return [];

  // The block's shape is built from the variable table, so zod cannot name its keys.
  const block = raw.hourly as Record<string, unknown> & { time: (string | number)[] };
  const times = block.time.map((value, i) => toInstant(value, raw, `hourly.time[${i}]`));
  for (let i = 1; i < times.length; i++) {
    if (times[i]! > times[i - 1]!) continue;
    const path = `hourly.time[${i}]`;
    throw new WeatherReplyError(PROVIDER, path, block.time[i], 'not after the previous time');
  }

  const series: Series = {};
  for (const [quantity, names] of QUANTITIES) {
    const name = nameIn(block, names);
    if (!name) continue;

    const values = block[name] as (number | null)[];
    if (values.length !== times.length) {
      const problem = `has ${values.length} values for ${times.length} times`;
      throw new WeatherReplyError(PROVIDER, `hourly.${name}`, values.length, problem);
    }
    const unit = raw.hourly_units?.[name];
    series[quantity] = values.map((value, i) =>
      convertChecked(quantity, value, unit, `hourly.${name}[${i}]`, `hourly_units.${name}`),
    );
  }

  return times.map((validAt, row) => buildObservation(validAt, series, row, raw, days));
}

/** The legacy `current_weather` names, as the names of the `current` block. */
const LEGACY_CURRENT_NAMES: Record<string, string> = {
  temperature: 'temperature_2m',
  windspeed: 'windspeed_10m',
  winddirection: 'winddirection_10m',
  weathercode: 'weathercode',
};

function readCurrent(
  raw: RawOpenMeteoReply,
  days: OpenMeteoReply['days'],
): OpenMeteoReply['current'] {
  if (raw.current) {
    return readScalarBlock(raw.current, raw.current_units, 'current', (name) => name, raw, days);
  }
  if (!raw.current_weather) return null;

  const renamed = Object.entries(raw.current_weather).map(([sent, value]) => [
    LEGACY_CURRENT_NAMES[sent] ?? sent,
    value,
  ]);
  const legacy = Object.entries(LEGACY_CURRENT_NAMES);
  const sentNames = new Map(legacy.map(([sent, name]) => [name, sent]));
  const sentName = (name: string): string => sentNames.get(name) ?? name;
  const block = Object.fromEntries(renamed);
  const units = raw.current_weather_units;
  return readScalarBlock(block, units, 'current_weather', sentName, raw, days);
}

/**
 * A block of single values (`current`) as one observation. `sentName` maps a variable name
 * back to the name the reply used, for error paths and units.
 */
function readScalarBlock(
  block: Record<string, unknown>,
  units: Record<string, string> | undefined,
  blockName: string,
  sentName: (name: string) => string,
  raw: RawOpenMeteoReply,
  days: OpenMeteoReply['days'],
): NonNullable<OpenMeteoReply['current']> {
  const series: Series = {};
  for (const [quantity, names] of QUANTITIES) {
    const name = nameIn(block, names);
    if (!name) continue;

    const sent = sentName(name);
    const value = block[name] as number | null;
    const unit = units?.[sent];
    const valuePath = `${blockName}.${sent}`;
    const unitPath = `${blockName}_units.${sent}`;
    series[quantity] = [convertChecked(quantity, value, unit, valuePath, unitPath)];
  }

  const validAt = toInstant(block.time as string | number, raw, `${blockName}.time`);
  const intervalS = typeof block.interval === 'number' ? block.interval : DEFAULT_INTERVAL_S;
  const observation = buildObservation(validAt, series, 0, raw, days);
  return { observation, intervalMs: intervalS * 1000 };
}

function readDaily(raw: RawOpenMeteoReply): OpenMeteoReply['days'] {
  const daily = raw.daily;
  if (!daily) return [];

  const readInstants = (name: 'sunrise' | 'sunset'): (number | null)[] => {
    const values = daily[name];
    if (!values) return daily.time.map(() => null);
    if (values.length !== daily.time.length) {
      const problem = `has ${values.length} values for ${daily.time.length} days`;
      throw new WeatherReplyError(PROVIDER, `daily.${name}`, values.length, problem);
    }
    return values.map((value, i) =>
      value === null ? null : toInstant(value, raw, `daily.${name}[${i}]`),
    );
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
    cloudCover: {
      total: at('cloudTotal'),
      low: at('cloudLow'),
      mid: at('cloudMid'),
      high: at('cloudHigh'),
    },
    precipitation: {
      rateMmPerHour,
      kind: precipitationKind(wmoCode, rateMmPerHour, at('snowfall')),
    },
    visibilityM: at('visibility'),
    wmoCode,
    sunriseAt: day?.sunriseAt ?? null,
    sunsetAt: day?.sunsetAt ?? null,
  };
}

/** The code's kind when it reports precipitation; else snow or rain when an amount fell. */
function precipitationKind(
  wmoCode: number | null,
  rateMmPerHour: number | null,
  snowfallCm: number | null,
): PrecipitationKind | null {
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

/** Instants outside 1900..2200 are refused: a unit mix-up, not weather. */
const EARLIEST_MS = Date.UTC(1900, 0, 1);
const LATEST_MS = Date.UTC(2200, 0, 1);

/** A time value as an instant: local wall time shifted by the reply's offset, or unix seconds. */
function toInstant(value: string | number, raw: RawOpenMeteoReply, path: string): number {
  const instant = readInstant(value, raw, path);
  if (Number.isNaN(instant)) throw new WeatherReplyError(PROVIDER, path, value, 'not a time');
  if (instant < EARLIEST_MS || instant > LATEST_MS) {
    throw new WeatherReplyError(PROVIDER, path, value, 'a time outside 1900..2200');
  }
  return instant;
}

/** The instant a time value names; NaN when it names none. */
function readInstant(value: string | number, raw: RawOpenMeteoReply, path: string): number {
  if (typeof value === 'number') return value * 1000;
  if (EXPLICIT_ZONE.test(value)) return Date.parse(value);

  const match = LOCAL_TIME.exec(value);
  if (!match) {
    throw new WeatherReplyError(PROVIDER, path, value, 'not a time like 2023-07-29T08:00');
  }
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0));
  const wallMs = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
  if (new Date(wallMs).getUTCDate() !== day) return Number.NaN;
  return wallMs - raw.utc_offset_seconds * 1000;
}

/** The local calendar date ("2023-07-29") of a daily `time` entry. */
function localDateOf(value: string | number, raw: RawOpenMeteoReply, path: string): string {
  if (typeof value === 'string' && LOCAL_TIME.test(value)) return value.slice(0, 10);
  const instant = toInstant(value, raw, path);
  return new Date(instant + raw.utc_offset_seconds * 1000).toISOString().slice(0, 10);
}
