/**
 * The request a configured provider is asked, per poll: Open-Meteo's forecast (no key) or
 * OpenWeatherMap's current weather (key required). The URL may carry the key: log it only
 * through scrubSecrets.
 */
import type { SkyConfig } from '../config/schema.js';
import type { WeatherProviderId } from '../days/format.js';
import { InputError } from '../errors.js';
import { openWeatherMapRequestUrl } from './openweathermap.js';
import { openMeteoForecastUrl } from './request-urls.js';

/** The providers to ask, preferred first: the configured one, then its fallback if any. */
export function configuredProviders(config: SkyConfig): WeatherProviderId[] {
  const { provider, fallbackProvider } = config.weather;
  return fallbackProvider && fallbackProvider !== provider ? [provider, fallbackProvider] : [provider];
}

/**
 * The URL for a poll at `atMs` (epoch ms) to `provider` (default the configured one) for the
 * configured place. `weather.baseUrl` replaces the configured provider's endpoint only.
 */
export function weatherRequestUrl(config: SkyConfig, atMs: number, provider: WeatherProviderId = config.weather.provider): string {
  const { place } = config;
  const weather = { ...config.weather, baseUrl: provider === config.weather.provider ? config.weather.baseUrl : undefined };

  if (provider === 'open-meteo') {
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
