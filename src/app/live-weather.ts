/**
 * The live weather: the poller asks the configured provider (and its fallback) on the
 * system clock, each good reply goes through the weather stage onto the bus, and every
 * reply with a body is handed to the day recording. Its health is told on the bus as
 * `source.status.changed` (source 'weather') once per change: online, degraded (the last
 * reply failed or is stale, the last good observation still in force) or offline (none
 * ever came).
 */
import type { Logger } from 'pino';
import type { EventBus } from '../bus/bus.js';
import type { SkyConfig } from '../config/schema.js';
import type { WeatherProviderId } from '../days/format.js';
import type { Clock } from '../time/clock.js';
import type { FetchedReply, WeatherFailure } from '../weather/fetch-reply.js';
import { WeatherPoller } from '../weather/poller.js';
import { parseForecastReply } from '../weather/providers.js';
import { configuredProviders, weatherRequestUrl } from '../weather/sources.js';
import { WeatherStage } from '../weather/weather-stage.js';
import type { SourceHealth } from '../server/status.js';

export interface LiveWeatherOptions {
  config: SkyConfig;
  bus: EventBus;
  clock: Clock;
  log: Logger;
  /** Receives every reply with a body, good or refused, as it came (the day recording). */
  onReply?: (reply: FetchedReply) => void | Promise<void>;
  /** Told after every request: the provider and 'ok' or the kind of failure (for the metrics). */
  onPolled?: (provider: string, outcome: 'ok' | WeatherFailure['kind']) => void;
  /** Poll timings, seconds; the config's interval and the poller's defaults when absent. */
  intervalS?: number;
  backoffFloorS?: number;
  maxBackoffS?: number;
}

type WeatherStatus = 'online' | 'degraded' | 'offline';

export class LiveWeather {
  readonly stage: WeatherStage;
  private readonly poller: WeatherPoller;
  private status: WeatherStatus | null = null;
  private since = 0;
  private detail = 'not asked yet';
  private stale = false;
  private everGood = false;

  constructor(private readonly options: LiveWeatherOptions) {
    const { config, bus, clock, log } = options;
    this.stage = new WeatherStage({ bus, clock, log });

    const keep = async (reply: FetchedReply): Promise<void> => options.onReply?.(reply);
    this.poller = new WeatherPoller({
      sources: configuredProviders(config).map((provider) => ({
        provider,
        url: (atMs: number) => weatherRequestUrl(config, atMs, provider),
        check: (body: string) => void parseForecastReply(provider, body),
      })),
      clock,
      log,
      intervalS: options.intervalS ?? config.weather.pollIntervalS,
      // A failure is retried no sooner than the interval allows (60 s at most).
      backoffFloorS: options.backoffFloorS ?? Math.min(60, options.intervalS ?? config.weather.pollIntervalS),
      maxBackoffS: options.maxBackoffS ?? Math.max(3600, config.weather.pollIntervalS),
      onReply: async (reply) => {
        options.onPolled?.(reply.provider, 'ok');
        await keep(reply);
        await this.stage.acceptReply({ ...reply, provider: reply.provider as WeatherProviderId });
        this.everGood = true;
        await this.report('online', `${reply.provider} answered`);
      },
      onFailure: async (failure) => {
        options.onPolled?.(failure.provider, failure.kind);
        if (failure.reply) await keep(failure.reply);
        await this.failed(failure);
      },
      onStaleChanged: (stale) => {
        this.stale = stale;
        if (stale) void this.report('degraded', 'the last good reply is stale');
      },
    });
  }

  start(): void {
    void this.report('offline', 'no reply yet');
    this.poller.start();
  }

  stop(): void {
    this.poller.stop();
    this.stage.stop();
  }

  /** Whether the reply in force is older than the poller's stale age. */
  get isStale(): boolean {
    return this.stale;
  }

  health(): SourceHealth {
    return {
      name: 'weather',
      status: this.status ?? 'offline',
      detail: this.detail,
      since: new Date(this.since).toISOString(),
    };
  }

  private async failed(failure: WeatherFailure): Promise<void> {
    const status = this.everGood ? 'degraded' : 'offline';
    await this.report(status, `${failure.provider}: ${failure.kind}: ${failure.reason}`);
  }

  private async report(status: WeatherStatus, detail: string): Promise<void> {
    this.detail = detail;
    if (status === this.status) return;

    this.status = status;
    this.since = this.options.clock.now();
    const event = { at: this.since, source: 'weather', status, reason: detail };
    await this.options.bus.publish('source.status.changed', event);
  }
}
