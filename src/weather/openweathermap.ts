/**
 * OpenWeatherMap replies → normalised {@link WeatherObservation}s: the current weather
 * (`/data/2.5/weather`) and One Call 3.0 (`/data/3.0/onecall`, its `current` and `hourly`).
 * Parsing happens here, at the boundary: whatever is wrong with a reply becomes a
 * {@link WeatherReplyError} naming the provider, the field and the value, with a `kind` the
 * poller can act on; nothing else is thrown, and no NaN gets out.
 *
 * Error bodies (case W3). `cod` is the number 200 on success, but a number or a string ("404",
 * "400") on error; any `cod` that is not 200 is the provider's refusal, classified by its code
 * (or the HTTP status) and, for 401, by its message: "requires a separate subscription" is
 * `plan-lacks-endpoint`; a text that speaks of activation would be `key-not-active`, but
 * OpenWeatherMap answers a key made less than two hours ago with the same "Invalid API key"
 * text as a wrong key, so that reads `invalid-key` and its message says a new key may not be
 * active yet. An empty or non-JSON body is classified by the HTTP status when one is given and
 * is an error (an empty 404 is `not-found`, a 502 page `server-down`), else it is `not-json`.
 *
 * Rain and snow (case W1). `rain.1h` is mm in the last hour, read as mm/h; `rain.3h` alone is
 * spread evenly (0.12 mm in 3 h → 0.04 mm/h); `rain: {}` is 0. OpenWeatherMap leaves the key
 * out when nothing fell, so with neither `rain` nor `snow` the rate is 0 when the condition
 * says nothing falls (clear, clouds, fog), and null (unknown) when the condition says
 * something falls (the amount was not sent) or when there is no condition to tell. Rain and
 * snow amounts add up; rates are rounded to 0.0001 mm/h.
 *
 * Units (case W9). Requests ask `units=metric` ({@link openWeatherMapRequestUrl}); without it
 * the API answers in Kelvin. Every value is checked against the plausible ranges skychoir uses
 * for every provider (src/weather/open-meteo-units.ts), and a metric temperature that only
 * makes sense as Kelvin (such as 280) is a `malformed` reply that says so. A reply known to be
 * in Kelvin (recorded without `units=metric`) is read with `requestedUnits: 'standard'`.
 */
import { failureKindOfStatus, type WeatherFailureKind } from './failure.js';
import type { PrecipitationKind, WeatherObservation } from './observation.js';
import type { OpenMeteoQuantity } from './open-meteo-schema.js';
import { checkPlausible } from './open-meteo-units.js';
import {
  currentWeatherSchema,
  openWeatherMapCondition,
  type OpenWeatherMapCondition,
  oneCallSchema,
  openWeatherMapErrorSchema,
  type RawAmount,
  type RawCurrentWeather,
  type RawOneCall,
  type RawOneCallPoint,
} from './openweathermap-schema.js';
import { formatPath, WeatherReplyError } from './reply-error.js';
import type { z } from 'zod';

const PROVIDER = 'openweathermap';

export type OpenWeatherMapEndpoint = 'current' | 'onecall';

/** `metric`: °C (what skychoir requests); `standard`: Kelvin, the API's default. */
export type OpenWeatherMapUnits = 'metric' | 'standard';

export interface OpenWeatherMapParseOptions {
  /** The HTTP status the body came with, where known; an error status is never a good reply. */
  status?: number;
  /** The units the request asked for; 'metric' unless said. */
  requestedUnits?: OpenWeatherMapUnits;
}

/** A parsed `/data/2.5/weather` reply, in UTC instants and metric units. */
export interface OpenWeatherMapCurrentReply {
  provider: 'openweathermap';
  endpoint: 'current';
  latitude: number | null;
  longitude: number | null;
  /** The place's name as the provider spells it (localised with `lang=`), where given. */
  placeName: string | null;
  /** Offset of the place's local time from UTC, seconds, where given. */
  utcOffsetS: number | null;
  /** Valid at `dt`, the instant the provider computed it. */
  observation: WeatherObservation;
}

/** A parsed One Call 3.0 reply, in UTC instants and metric units. */
export interface OpenWeatherMapOneCallReply {
  provider: 'openweathermap';
  endpoint: 'onecall';
  latitude: number;
  longitude: number;
  /** IANA zone of the place, where given. */
  timezone: string | null;
  utcOffsetS: number | null;
  /** The `current` block, where the reply has one. */
  current: WeatherObservation | null;
  /** `hourly` in time order, each describing the hour from its `validAt`; [] when excluded. */
  hours: WeatherObservation[];
}

const ENDPOINT_URLS: Record<OpenWeatherMapEndpoint, string> = {
  current: 'https://api.openweathermap.org/data/2.5/weather',
  onecall: 'https://api.openweathermap.org/data/3.0/onecall',
};

/**
 * The request URL for `endpoint` at a place: `lat`, `lon`, always `units=metric` (the parsers
 * read °C unless told otherwise), One Call without the `minutely` and `alerts` blocks skychoir
 * does not read, and the key as `appid`.
 *
 * The URL carries the key: log it, or put it in an error, only through `scrubSecrets`
 * (src/config/redact.ts), which masks `appid=`. Throws RangeError for a place off the globe
 * or an empty key (the message never holds the key).
 */
export function openWeatherMapRequestUrl(
  endpoint: OpenWeatherMapEndpoint,
  place: { latitude: number; longitude: number },
  apiKey: string,
): string {
  const { latitude, longitude } = place;
  if (!(latitude >= -90 && latitude <= 90) || !(longitude >= -180 && longitude <= 180)) {
    throw new RangeError(`no such place: latitude ${latitude}, longitude ${longitude}`);
  }
  if (apiKey.trim() === '') throw new RangeError('the OpenWeatherMap API key is empty');

  const url = new URL(ENDPOINT_URLS[endpoint]);
  url.searchParams.set('lat', String(latitude));
  url.searchParams.set('lon', String(longitude));
  url.searchParams.set('units', 'metric');
  if (endpoint === 'onecall') url.searchParams.set('exclude', 'minutely,alerts');
  url.searchParams.set('appid', apiKey);
  return url.toString();
}

/** Parses a `/data/2.5/weather` body. Throws {@link WeatherReplyError}, never anything else. */
export function parseOpenWeatherMapCurrent(
  body: string,
  options: OpenWeatherMapParseOptions = {},
): OpenWeatherMapCurrentReply {
  const raw = readBody(body, currentWeatherSchema, options);
  const fields = new Fields(options.requestedUnits ?? 'metric', '');
  return {
    provider: PROVIDER,
    endpoint: 'current',
    latitude: raw.coord?.lat ?? null,
    longitude: raw.coord?.lon ?? null,
    placeName: raw.name ?? null,
    utcOffsetS: raw.timezone ?? null,
    observation: currentObservation(raw, fields),
  };
}

/** Parses a One Call 3.0 body. Throws {@link WeatherReplyError}, never anything else. */
export function parseOpenWeatherMapOneCall(
  body: string,
  options: OpenWeatherMapParseOptions = {},
): OpenWeatherMapOneCallReply {
  const raw = readBody(body, oneCallSchema, options);
  const units = options.requestedUnits ?? 'metric';
  const days = readDays(raw, units);

  const current = raw.current
    ? oneCallObservation(raw.current, new Fields(units, 'current'), null)
    : null;
  const hours = (raw.hourly ?? []).map((point, i) => {
    const fields = new Fields(units, `hourly[${i}]`);
    const validAt = fields.instant(point.dt, 'dt');
    const day = days.find((candidate) => candidate.localDate === localDate(validAt, raw));
    return oneCallObservation(point, fields, day ?? SUNLESS_DAY);
  });
  for (let i = 1; i < hours.length; i++) {
    if (hours[i]!.validAt > hours[i - 1]!.validAt) continue;
    const time = raw.hourly?.[i]?.dt;
    throw malformed(`hourly[${i}].dt`, time, 'not after the previous hour');
  }

  return {
    provider: PROVIDER,
    endpoint: 'onecall',
    latitude: raw.lat,
    longitude: raw.lon,
    timezone: raw.timezone ?? null,
    utcOffsetS: raw.timezone_offset ?? null,
    current,
    hours,
  };
}

/**
 * The failure kind of an OpenWeatherMap refusal, from its code (the body's `cod`, or the HTTP
 * status) and, for 401 and 403, its message: One Call without its subscription is
 * `plan-lacks-endpoint`; a message about activation `key-not-active`; else `invalid-key`.
 */
export function classifyOpenWeatherMapError(code: number, message: string): WeatherFailureKind {
  return failureKindOfStatus(code, message) ?? 'malformed';
}

/** What a refusal of each kind means, for the error's message. */
const REFUSALS: Partial<Record<WeatherFailureKind, string>> = {
  'invalid-key':
    'the key is refused (invalid-key); a key made less than two hours ago gets the same ' +
    'answer until it is active',
  'key-not-active': 'the key is not active yet (key-not-active); it can take two hours',
  'plan-lacks-endpoint':
    "the account's plan does not include this endpoint (plan-lacks-endpoint); One Call 3.0 " +
    'needs its own subscription',
  'rate-limited': 'the account is over its request budget (rate-limited)',
  'not-found': 'nothing there (not-found): a wrong URL or place',
  'bad-request': 'the request was refused (bad-request)',
  'server-down': 'the provider is failing (server-down)',
};

/** The body as JSON fitting `schema`, or the error it is. */
function readBody<T>(body: string, schema: z.ZodType<T>, options: OpenWeatherMapParseOptions): T {
  const { status } = options;
  const statusKind = isErrorStatus(status) ? classifyOpenWeatherMapError(status, '') : null;
  const withStatus = statusKind ? ` with HTTP ${status}` : '';

  if (body.trim() === '') {
    const problem = `an empty body${withStatus}`;
    throw new WeatherReplyError(PROVIDER, '', body, problem, statusKind ?? 'not-json');
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const problem = `not JSON (${reason})${withStatus}`;
    throw new WeatherReplyError(PROVIDER, '', body, problem, statusKind ?? 'not-json');
  }

  rejectRefusal(json, status);
  if (statusKind) {
    const problem = 'an HTTP error status with a weather body';
    throw new WeatherReplyError(PROVIDER, 'status', status, problem, statusKind);
  }

  const checked = schema.safeParse(json, { reportInput: true });
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const problem = (issue?.message ?? 'does not fit the schema').replace(/^Invalid input: /, '');
    throw malformed(formatPath(issue?.path ?? []), issue?.input, problem);
  }
  return checked.data;
}

function isErrorStatus(status: number | undefined): status is number {
  return status !== undefined && (status < 200 || status > 299);
}

/** Throws the provider's refusal: a body whose `cod` is not 200. */
function rejectRefusal(json: unknown, status: number | undefined): void {
  const refusal = openWeatherMapErrorSchema.safeParse(json);
  if (!refusal.success) return;

  const { cod, message } = refusal.data;
  const code = Number(cod);
  if (code === 200) return;

  const knownCode = Number.isInteger(code) && code > 0 ? code : (status ?? 0);
  const kind = classifyOpenWeatherMapError(knownCode, message ?? '');
  const meaning = REFUSALS[kind] ?? 'the provider reported an error';
  const problem = `refused with cod ${JSON.stringify(cod)}: ${meaning}`;
  if (message === undefined) throw new WeatherReplyError(PROVIDER, 'cod', cod, problem, kind);
  throw new WeatherReplyError(PROVIDER, 'message', message, problem, kind);
}

function malformed(path: string, value: unknown, problem: string): WeatherReplyError {
  return new WeatherReplyError(PROVIDER, path, value, problem, 'malformed');
}

function currentObservation(raw: RawCurrentWeather, fields: Fields): WeatherObservation {
  const { main, wind } = raw;
  const condition = conditionOfEntries(raw.weather);
  const pressure =
    main.sea_level != null
      ? fields.measure('pressure', main.sea_level, 'main.sea_level')
      : fields.measure('pressure', main.pressure, 'main.pressure');

  return {
    validAt: fields.instant(raw.dt, 'dt'),
    temperatureC: fields.temperature(main.temp, 'main.temp'),
    pressureSeaLevelHpa: pressure,
    humidityPercent: fields.measure('humidity', main.humidity, 'main.humidity'),
    windSpeedMs: fields.measure('windSpeed', wind?.speed, 'wind.speed'),
    windDirectionDeg: fields.measure('windDirection', wind?.deg, 'wind.deg'),
    windGustMs: fields.measure('windGust', wind?.gust, 'wind.gust'),
    cloudCover: cloudTotal(fields.fraction(raw.clouds?.all, 'clouds.all')),
    precipitation: fields.precipitation(raw.rain, raw.snow, condition),
    visibilityM: fields.measure('visibility', raw.visibility, 'visibility'),
    wmoCode: condition?.wmoCode ?? null,
    sunriseAt: fields.sunTime(raw.sys?.sunrise, 'sys.sunrise'),
    sunsetAt: fields.sunTime(raw.sys?.sunset, 'sys.sunset'),
  };
}

/** OpenWeatherMap gives only the total cover; the layers stay unknown. */
function cloudTotal(total: number | null): WeatherObservation['cloudCover'] {
  return { total, low: null, mid: null, high: null };
}

/** A day's sun times; hourly points take theirs from `daily`, `current` carries its own. */
interface SunDay {
  localDate: string;
  sunriseAt: number | null;
  sunsetAt: number | null;
}

const SUNLESS_DAY: SunDay = { localDate: '', sunriseAt: null, sunsetAt: null };

function oneCallObservation(
  point: RawOneCallPoint,
  fields: Fields,
  day: SunDay | null,
): WeatherObservation {
  const condition = conditionOfEntries(point.weather);
  return {
    validAt: fields.instant(point.dt, 'dt'),
    temperatureC: fields.temperature(point.temp, 'temp'),
    pressureSeaLevelHpa: fields.measure('pressure', point.pressure, 'pressure'),
    humidityPercent: fields.measure('humidity', point.humidity, 'humidity'),
    windSpeedMs: fields.measure('windSpeed', point.wind_speed, 'wind_speed'),
    windDirectionDeg: fields.measure('windDirection', point.wind_deg, 'wind_deg'),
    windGustMs: fields.measure('windGust', point.wind_gust, 'wind_gust'),
    cloudCover: cloudTotal(fields.fraction(point.clouds, 'clouds')),
    precipitation: fields.precipitation(point.rain, point.snow, condition),
    visibilityM: fields.measure('visibility', point.visibility, 'visibility'),
    wmoCode: condition?.wmoCode ?? null,
    sunriseAt: day ? day.sunriseAt : fields.sunTime(point.sunrise, 'sunrise'),
    sunsetAt: day ? day.sunsetAt : fields.sunTime(point.sunset, 'sunset'),
  };
}

function readDays(raw: RawOneCall, units: OpenWeatherMapUnits): SunDay[] {
  return (raw.daily ?? []).map((entry, i) => {
    const fields = new Fields(units, `daily[${i}]`);
    return {
      localDate: localDate(fields.instant(entry.dt, 'dt'), raw),
      sunriseAt: fields.sunTime(entry.sunrise, 'sunrise'),
      sunsetAt: fields.sunTime(entry.sunset, 'sunset'),
    };
  });
}

/** The place's calendar date ("2023-12-31") at an instant; UTC where the offset is not given. */
function localDate(instantMs: number, raw: RawOneCall): string {
  return new Date(instantMs + (raw.timezone_offset ?? 0) * 1000).toISOString().slice(0, 10);
}

const KELVIN_AT_0C = 273.15;
/** Temperatures that are implausible as °C but plausible as Kelvin, and the reverse. */
const KELVIN_LOOKING = { min: 150, max: 350 };
const CELSIUS_LOOKING = { min: -95, max: 65 };
/** Instants outside 1900..2200 are refused: a unit mix-up (ms for s), not weather. */
const EARLIEST_MS = Date.UTC(1900, 0, 1);
const LATEST_MS = Date.UTC(2200, 0, 1);

/** Reads the values of one block, converted, checked, with their paths for errors. */
class Fields {
  constructor(
    private readonly units: OpenWeatherMapUnits,
    /** The block's path in the reply ('' for the top level, 'hourly[3]'). */
    private readonly block: string,
  ) {}

  /** °C, from the requested units; an implausible value says which units it looks like. */
  temperature(value: number | null | undefined, name: string): number | null {
    if (value == null) return null;

    const celsius = this.units === 'standard' ? round(value - KELVIN_AT_0C, 2) : value;
    let problem = checkPlausible('temperature', celsius);
    if (problem === null) return celsius;
    if (this.units === 'metric' && within(value, KELVIN_LOOKING)) {
      problem =
        `${value} °C is implausible: the reply seems to be in Kelvin ` +
        '(requested without units=metric)';
    } else if (this.units === 'standard' && within(value, CELSIUS_LOOKING)) {
      problem = `${value} K is implausible: the reply seems to be in °C, not the Kelvin expected`;
    }
    throw malformed(this.path(name), value, problem);
  }

  /** A value already in the observation's unit, checked against its plausible range. */
  measure(
    quantity: OpenMeteoQuantity,
    value: number | null | undefined,
    name: string,
  ): number | null {
    if (value == null) return null;
    const problem = checkPlausible(quantity, value);
    if (problem) throw malformed(this.path(name), value, problem);
    return value;
  }

  /** A percentage as a 0..1 fraction. */
  fraction(percent: number | null | undefined, name: string): number | null {
    if (percent == null) return null;
    const problem = checkPlausible('cloudTotal', percent / 100);
    if (problem) throw malformed(this.path(name), percent, `${percent} % is outside 0..100`);
    return percent / 100;
  }

  /** Unix seconds as epoch ms. */
  instant(seconds: number, name: string): number {
    const ms = seconds * 1000;
    if (ms >= EARLIEST_MS && ms <= LATEST_MS) return ms;
    throw malformed(this.path(name), seconds, 'a time outside 1900..2200 (unix seconds expected)');
  }

  /** A sunrise or sunset; 0 or absent (polar day or night) is null. */
  sunTime(seconds: number | null | undefined, name: string): number | null {
    return seconds == null || seconds === 0 ? null : this.instant(seconds, name);
  }

  /** Rate and kind from `rain`, `snow` and the condition, as the file comment says (case W1). */
  precipitation(
    rain: RawAmount | undefined,
    snow: RawAmount | undefined,
    condition: OpenWeatherMapCondition | null,
  ): WeatherObservation['precipitation'] {
    const rainRate = this.amountRate(rain, 'rain');
    const snowRate = this.amountRate(snow, 'snow');

    let rateMmPerHour: number | null;
    if (rainRate !== null || snowRate !== null) {
      rateMmPerHour = round((rainRate ?? 0) + (snowRate ?? 0), 4);
    } else {
      rateMmPerHour = condition === null || condition.kind !== null ? null : 0;
    }

    let kind = condition?.kind ?? null;
    if (kind === null && (snowRate ?? 0) > 0) kind = 'snow';
    if (kind === null && (rainRate ?? 0) > 0) kind = 'rain';
    return { rateMmPerHour, kind };
  }

  /** mm/h from one `rain` or `snow` block; null when there is no block. */
  private amountRate(amount: RawAmount | undefined, name: string): number | null {
    if (amount === undefined) return null;

    const oneHour = amount['1h'];
    if (oneHour !== undefined) return this.measure('precipitation', oneHour, `${name}.1h`);
    const threeHours = amount['3h'];
    if (threeHours === undefined) return 0;
    const problem = checkPlausible('precipitation', threeHours / 3);
    if (problem) throw malformed(this.path(`${name}.3h`), threeHours, `as mm/h, ${problem}`);
    return threeHours / 3;
  }

  private path(name: string): string {
    return this.block === '' ? name : `${this.block}.${name}`;
  }
}

function within(value: number, range: { min: number; max: number }): boolean {
  return value >= range.min && value <= range.max;
}

function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

/**
 * The condition of a `weather[]` list: the provider puts the primary one first, but a list
 * such as [mist, light rain] is still rain, so the first one reporting precipitation wins,
 * else the first one understood; null when none is.
 */
function conditionOfEntries(entries: { id: number }[] | undefined): OpenWeatherMapCondition | null {
  const known = (entries ?? []).flatMap((entry) => openWeatherMapCondition(entry.id) ?? []);
  return known.find((entry) => entry.kind !== null) ?? known[0] ?? null;
}
