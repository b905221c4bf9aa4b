/**
 * Any provider's raw reply to the one shape the weather stage keeps. The provider named on
 * the reply (by the poller, or in a recorded day) chooses the parser; an OpenWeatherMap body
 * is told apart as One Call (it has `hourly` or a `current` block) or current weather 2.5.
 */
import type { ForecastReply } from './observation.js';
import { parseOpenMeteo } from './open-meteo.js';
import { parseOpenWeatherMapCurrent, parseOpenWeatherMapOneCall } from './openweathermap.js';
import { WeatherReplyError } from './reply-error.js';

/**
 * How long an OpenWeatherMap current reading stays the reading for "now": it describes one
 * instant, and the next poll (10 minutes by default) replaces it. An hour keeps the music on
 * it through a few failed polls; the poller marks it stale after its own age.
 */
const CURRENT_READING_SPAN_MS = 3_600_000;

/** Parses `body` as `provider` sent it, with its HTTP status where known. Throws {@link WeatherReplyError}. */
export function parseForecastReply(provider: string, body: string, status?: number): ForecastReply {
  if (provider === 'open-meteo') {
    const reply = parseOpenMeteo(body);
    if (status !== undefined && (status < 200 || status > 299)) {
      throw new WeatherReplyError(provider, 'status', status, 'an HTTP error status with a weather body');
    }
    return reply;
  }

  if (provider === 'openweathermap') {
    if (looksLikeOneCall(body)) {
      const reply = parseOpenWeatherMapOneCall(body, { status });
      const current = reply.current && { observation: reply.current, intervalMs: CURRENT_READING_SPAN_MS };
      return { provider, hours: reply.hours, current };
    }
    const reply = parseOpenWeatherMapCurrent(body, { status });
    return { provider, hours: [], current: { observation: reply.observation, intervalMs: CURRENT_READING_SPAN_MS } };
  }

  throw new WeatherReplyError(provider, 'provider', provider, 'not a provider skychoir knows (open-meteo, openweathermap)');
}

/** Whether an OpenWeatherMap body is a One Call reply; a body that is not JSON goes to either parser, which says so. */
function looksLikeOneCall(body: string): boolean {
  try {
    const json = JSON.parse(body) as Record<string, unknown> | null;
    return json !== null && typeof json === 'object' && ('hourly' in json || ('current' in json && 'lat' in json));
  } catch {
    return false;
  }
}
