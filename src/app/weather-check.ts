import type { Logger } from 'pino';
import { EventBus } from '../bus/bus.js';
import type { SkyEvent, SkyEventName } from '../bus/events.js';
import type { SkyConfig } from '../config/schema.js';
import { scrubSecrets } from '../config/redact.js';
import { VirtualClock, type Clock } from '../time/clock.js';
import { SunWatcher } from '../time/sun.js';
import { fetchWeatherReply, type WeatherFailure } from '../weather/fetch-reply.js';
import { weatherRequestUrl } from '../weather/sources.js';
import { WeatherStage } from '../weather/weather-stage.js';

export interface WeatherCheck {
  provider: string;
  /** The request, with any key masked. */
  url: string;
  /** The HTTP status, where an answer came. */
  status: number | null;
  /** Why there is no observation, where there is none. */
  failure: WeatherFailure | null;
  /** What the weather stage and the sun would publish now, in order: what the composer hears. */
  events: SkyEvent[];
}

/** Events the check shows: the weather's and the sun's, as the composer would hear them. */
const SHOWN: SkyEventName[] = [
  'weather.observed', 'weather.rejected', 'precipitation.started', 'precipitation.stopped',
  'pressure.trend.changed', 'temperature.trend.changed', 'wind.gusts.started', 'fog.formed',
  'sun.phase.changed',
];

/**
 * Asks the configured provider once, at the clock's now, and runs its reply through the real
 * weather stage and sun watcher on a bus of their own, to show what the composer would be told.
 * Never throws for a provider's failure: it is in the result.
 */
export async function checkWeather(config: SkyConfig, clock: Clock, log: Logger): Promise<WeatherCheck> {
  const provider = config.weather.provider;
  const atMs = clock.now();
  const url = weatherRequestUrl(config, atMs);
  const shownUrl = scrubSecrets(url);
  log.info({ provider, url: shownUrl }, 'asking the weather provider');

  const outcome = await fetchWeatherReply({ provider, url, clock });
  if (!outcome.ok && !outcome.failure.reply) {
    return { provider, url: shownUrl, status: null, failure: outcome.failure, events: [] };
  }
  const reply = outcome.ok ? outcome.reply : outcome.failure.reply!;

  const bus = new EventBus(log.child({ component: 'bus' }));
  const events: SkyEvent[] = [];
  for (const name of SHOWN) bus.on(name, 'weather-check', (payload) => void events.push({ name, payload } as SkyEvent));

  const stageClock = new VirtualClock(atMs);
  const stage = new WeatherStage({ bus, clock: stageClock, log });
  await stage.acceptReply(reply);
  const sun = new SunWatcher({ bus, clock: stageClock, latitude: config.place.latitude, longitude: config.place.longitude });
  await sun.start();
  sun.stop();
  stage.stop();

  const failure = outcome.ok ? null : outcome.failure;
  return { provider, url: shownUrl, status: reply.status, failure, events };
}
