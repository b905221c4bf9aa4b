/**
 * The Open-Meteo request a poll sends. A URL is built per poll from that poll's instant
 * ({@link openMeteoForecastUrl} is called each time), so the dates in it move with the clock:
 * a daemon started yesterday does not keep asking for yesterday.
 *
 * Times are asked for in GMT (`timezone=GMT`): every hourly row is then an instant, and a
 * reply that spans a daylight-saving change cannot come out an hour off (see open-meteo.ts).
 */

/** Open-Meteo's free forecast endpoint; no key. */
export const OPEN_METEO_FORECAST_URL = 'https://api.open-meteo.com/v1/forecast';

/**
 * The hourly variables skychoir reads, under Open-Meteo's current names (open-meteo-schema.ts
 * also reads the old ones, for recorded replies).
 */
export const OPEN_METEO_HOURLY = [
  'temperature_2m',
  'relative_humidity_2m',
  'weather_code',
  'cloud_cover',
  'cloud_cover_low',
  'cloud_cover_mid',
  'cloud_cover_high',
  'wind_speed_10m',
  'wind_direction_10m',
  'wind_gusts_10m',
  'pressure_msl',
  'precipitation',
  'rain',
  'showers',
  'snowfall',
  'visibility',
] as const;

export interface OpenMeteoPlace {
  /** Degrees north, -90..90. */
  latitude: number;
  /** Degrees east, -180..180. */
  longitude: number;
}

export interface OpenMeteoUrlOptions {
  /** The endpoint; default {@link OPEN_METEO_FORECAST_URL} (tests point it at a local server). */
  baseUrl?: string;
  /** Whole UTC days asked for, starting with the poll's own day; default 2 (today, tomorrow). */
  days?: number;
}

const DAY_MS = 86_400_000;

/**
 * The forecast URL for a poll at `atMs` (epoch ms): hourly rows and the `current` block for
 * the UTC days from the poll's day on, in GMT and metric units. Throws RangeError for a place
 * outside the globe or a day count outside 1..16 (Open-Meteo's forecast range).
 */
export function openMeteoForecastUrl(
  place: OpenMeteoPlace,
  atMs: number,
  { baseUrl = OPEN_METEO_FORECAST_URL, days = 2 }: OpenMeteoUrlOptions = {},
): string {
  const { latitude, longitude } = place;
  if (!(Math.abs(latitude) <= 90) || !(Math.abs(longitude) <= 180)) {
    throw new RangeError(`place ${latitude}, ${longitude} is not on the globe`);
  }
  if (!Number.isInteger(days) || days < 1 || days > 16) {
    throw new RangeError(`days ${days}: expected a whole number of days, 1 to 16`);
  }

  const url = new URL(baseUrl);
  const query = url.searchParams;
  query.set('latitude', String(latitude));
  query.set('longitude', String(longitude));
  query.set('hourly', OPEN_METEO_HOURLY.join(','));
  query.set('current', OPEN_METEO_HOURLY.join(','));
  query.set('timezone', 'GMT');
  query.set('start_date', utcDate(atMs));
  query.set('end_date', utcDate(atMs + (days - 1) * DAY_MS));
  query.set('wind_speed_unit', 'kmh');
  query.set('precipitation_unit', 'mm');
  query.set('temperature_unit', 'celsius');
  return url.toString();
}

/** The UTC calendar date of an instant, as `YYYY-MM-DD`. */
export function utcDate(atMs: number): string {
  return new Date(atMs).toISOString().slice(0, 10);
}
