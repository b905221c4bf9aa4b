/**
 * The weather stage: takes raw provider replies (from the poller live, from a recorded day in
 * replay), keeps the last good one in force, and publishes what it says hour by hour.
 *
 * Events: `weather.observed` for the hour containing the clock's now when a good reply
 * arrives (or for its `current` block, where no hourly row covers now), and again at each
 * following hour boundary the reply covers; `weather.rejected` for a reply that cannot be
 * used (the previous one stays in force); and, from the observations published, the derived
 * events of weather/derived.ts when they change: `precipitation.started` and `.stopped`,
 * `pressure.trend.changed`, `temperature.trend.changed`, gusts and fog.
 */
import type { Logger } from 'pino';
import type { EventBus } from '../bus/bus.js';
import type { SkyEvents } from '../bus/events.js';
import type { Clock } from '../time/clock.js';
import type { ForecastReply, WeatherObservation } from './observation.js';
import { observationAt } from './open-meteo.js';
import { parseForecastReply } from './providers.js';
import { DerivedTracker, type DerivedEventName, type DerivedEvents } from './derived.js';

/** A raw reply as it came from the provider (or from a recorded day). */
export interface RawWeatherReply {
  /** Which provider sent it: 'open-meteo' or 'openweathermap'; any other is rejected. */
  provider: string;
  /** When the reply arrived, epoch ms. */
  receivedAt: number;
  /** The body exactly as the provider sent it. */
  body: string;
  /** The HTTP status it came with, where known; an error status is a rejected reply. */
  status?: number;
}

export interface WeatherStageOptions {
  bus: EventBus;
  clock: Clock;
  log: Logger;
}

export class WeatherStage {
  private readonly bus: EventBus;
  private readonly clock: Clock;
  private readonly log: Logger;
  /** The reply in force: the last good one. */
  private reply: ForecastReply | null = null;
  /** Cancels the next scheduled hourly publication, if any. */
  private cancelNext: (() => void) | null = null;
  /** Bumped by stop() and by each new reply, so a publication in progress schedules no other. */
  private generation = 0;
  /** Trends, precipitation, gusts and fog from the observations published so far. */
  private readonly derived = new DerivedTracker();

  constructor({ bus, clock, log }: WeatherStageOptions) {
    this.bus = bus;
    this.clock = clock;
    this.log = log.child({ component: 'weather' });
  }

  /** The reply in force, or null before the first good one. */
  get current(): ForecastReply | null {
    return this.reply;
  }

  /**
   * Parses `raw`. A good reply replaces the one in force and is published at once for the
   * current hour; a bad one is published as `weather.rejected` and logged. Never throws.
   */
  async acceptReply(raw: RawWeatherReply): Promise<void> {
    let reply: ForecastReply;
    try {
      reply = parseForecastReply(raw.provider, raw.body, raw.status);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const { provider, receivedAt } = raw;
      this.log.warn({ provider, receivedAt, reason }, 'weather reply rejected; last good one kept');
      await this.bus.publish('weather.rejected', { at: receivedAt, provider, reason });
      return;
    }

    this.cancelScheduled();
    this.reply = reply;
    const generation = this.generation;
    this.log.info(
      { provider: raw.provider, receivedAt: raw.receivedAt, hours: reply.hours.length },
      'weather reply accepted',
    );

    const nowMs = this.clock.now();
    const observation = observationAt(reply, nowMs);
    if (observation) await this.publish(reply, observation, nowMs);
    if (generation === this.generation) this.scheduleAfter(reply, nowMs, generation);
  }

  /** Cancels the scheduled hourly publications. The reply in force is kept. */
  stop(): void {
    this.cancelScheduled();
  }

  /** Schedules the publication of the first hour that starts after `afterMs`, then the next. */
  private scheduleAfter(reply: ForecastReply, afterMs: number, generation: number): void {
    const index = reply.hours.findIndex((hour) => hour.validAt > afterMs);
    if (index < 0) return;

    const atMs = reply.hours[index]!.validAt;
    this.cancelNext = this.clock.schedule(atMs, async () => {
      this.cancelNext = null;
      await this.publish(reply, reply.hours[index]!, atMs);
      if (generation === this.generation) this.scheduleAfter(reply, atMs, generation);
    });
  }

  private async publish(
    reply: ForecastReply,
    observation: WeatherObservation,
    atMs: number,
  ): Promise<void> {
    await this.bus.publish('weather.observed', { at: atMs, provider: reply.provider, observation });
    for (const event of this.derived.add(observation, atMs)) await this.publishDerived(event);
  }

  private async publishDerived<Name extends DerivedEventName>(event: { name: Name; payload: DerivedEvents[Name] }): Promise<void> {
    await this.bus.publish(event.name, event.payload as SkyEvents[Name]);
  }

  private cancelScheduled(): void {
    this.generation++;
    this.cancelNext?.();
    this.cancelNext = null;
  }
}
