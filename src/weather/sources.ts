/**
 * The request a configured provider is asked, per poll: Open-Meteo's forecast (no key) or
 * OpenWeatherMap's current weather (key required). The URL may carry the key: log it only
 * through scrubSecrets.
 */
import type { SkyConfig } from '../config/schema.js';
import { InputError } from '../errors.js';
import { openWeatherMapRequestUrl } from './openweathermap.js';
import { openMeteoForecastUrl } from './request-urls.js';

/** The URL for a poll at `atMs` (epoch ms) by the configured provider, place and endpoint. */
export function weatherRequestUrl(config: SkyConfig, atMs: number): string {
  const { place, weather } = config;

  if (weather.provider === 'open-meteo') {
    return openMeteoForecastUrl(place, atMs, weather.baseUrl ? { baseUrl: weather.baseUrl } : {});
  }

  if (!weather.apiKey) {
    throw new InputError('weather.provider openweathermap needs weather.apiKey (or SKYCHOIR_WEATHER_API_KEY)');
  }
  const url = new URL(openWeatherMapRequestUrl('current', place, weather.apiKey));
  if (!weather.baseUrl) return url.toString();

  const base = new URL(weather.baseUrl);
  base.search = url.search;
  return base.toString();
}
