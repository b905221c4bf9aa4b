/**
 * WMO weather interpretation codes (WMO 4677, "present weather", 0..99) as Open-Meteo
 * sends them, mapped to the precipitation kinds the composer knows.
 *
 * Open-Meteo uses a subset (0-3, 45, 48, 51-57, 61-67, 71-77, 80-86, 95-99); the rest of
 * the 4677 table is mapped by its ranges so a provider that sends the full table still
 * reads sensibly. Codes 20-29 mean "precipitation in the preceding hour but not now" and
 * map to no precipitation. Thunderstorms with hail (96, 99) are 'thunder': the thunder is
 * what is heard. OpenWeatherMap has its own condition ids: they do not belong here.
 */
import type { PrecipitationKind } from './observation.js';

/** Codes Open-Meteo documents, with their meaning, for logs and tests. */
export const OPEN_METEO_WMO_CODES: Readonly<Record<number, string>> = {
  0: 'clear sky',
  1: 'mainly clear',
  2: 'partly cloudy',
  3: 'overcast',
  45: 'fog',
  48: 'depositing rime fog',
  51: 'light drizzle',
  53: 'moderate drizzle',
  55: 'dense drizzle',
  56: 'light freezing drizzle',
  57: 'dense freezing drizzle',
  61: 'slight rain',
  63: 'moderate rain',
  65: 'heavy rain',
  66: 'light freezing rain',
  67: 'heavy freezing rain',
  71: 'slight snowfall',
  73: 'moderate snowfall',
  75: 'heavy snowfall',
  77: 'snow grains',
  80: 'slight rain showers',
  81: 'moderate rain showers',
  82: 'violent rain showers',
  85: 'slight snow showers',
  86: 'heavy snow showers',
  95: 'thunderstorm',
  96: 'thunderstorm with slight hail',
  99: 'thunderstorm with heavy hail',
};

/**
 * The kind of precipitation a code reports falling now, or null for none (clear, cloud,
 * fog, haze, or precipitation that has already ended). `code` must be an integer 0..99;
 * anything else is null.
 */
export function precipitationKindOfWmo(code: number): PrecipitationKind | null {
  if (!Number.isInteger(code) || code < 0 || code > 99) return null;

  if (code === 56 || code === 57 || code === 66 || code === 67) return 'freezing';
  if (code >= 50 && code <= 59) return 'drizzle';
  if (code >= 60 && code <= 69) return 'rain';
  if (code >= 70 && code <= 79) return 'snow';
  if (code === 85 || code === 86) return 'snow';
  if (code >= 87 && code <= 90) return 'hail';
  if (code >= 80 && code <= 84) return 'showers';
  if (code >= 91 && code <= 99) return 'thunder';
  return null;
}

/** Whether a code reports precipitation falling now. */
export function isPrecipitatingWmo(code: number): boolean {
  return precipitationKindOfWmo(code) !== null;
}
