/**
 * The weather stage: takes raw provider replies (from the poller live, from a recorded day in
 * replay), keeps the last good one in force, and publishes what it says hour by hour.
 *
 * Events: `weather.observed` for the hour containing the clock's now when a good reply
 * arrives (or for its `current` block, where no hourly row covers now), and again at each
 * following hour boundary the reply covers; `weather.rejected` for a reply that cannot be
 * used (the previous one stays in force); `precipitation.started` and
 * `precipitation.stopped` when an observation changes whether anything is falling.
 */
import type { Logger } from 'pino';
import type { EventBus } from '../bus/bus.js';
import type { Clock } from '../time/clock.js';
import type { WeatherObservation } from './observation.js';
import { observationAt, parseOpenMeteo, type OpenMeteoReply } from './open-meteo.js';
import { WeatherReplyError } from './reply-error.js';
import { isPrecipitatingWmo } from './wmo.js';

/** A raw reply as it came from the provider (or from a recorded day). */
export interface RawWeatherReply {
  /** Which provider sent it; only 'open-meteo' is understood so far, others are rejected. */
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
  private reply: OpenMeteoReply | null = null;
  /** Cancels the next scheduled hourly publication, if any. */
  private cancelNext: (() => void) | null = null;
  /** Bumped by stop() and by each new reply, so a publication in progress schedules no other. */
  private generation = 0;
  /** Whether precipitation was last known to be falling; null before anything is known. */
  private precipitating: boolean | null = null;

  constructor({ bus, clock, log }: WeatherStageOptions) {
    this.bus = bus;
    this.clock = clock;
    this.log = log.child({ component: 'weather' });
  }

  /** The reply in force, or null before the first good one. */
  get current(): OpenMeteoReply | null {
    return this.reply;
  }

  /**
   * Parses `raw`. A good reply replaces the one in force and is published at once for the
   * current hour; a bad one is published as `weather.rejected` and logged. Never throws.
   */
  async acceptReply(raw: RawWeatherReply): Promise<void> {
    let reply: OpenMeteoReply;
    try {
      reply = this.parse(raw);
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

  private parse(raw: RawWeatherReply): OpenMeteoReply {
    if (raw.provider !== 'open-meteo') {
      const provider = String(raw.provider);
      throw new WeatherReplyError(provider, 'provider', provider, 'provider not supported yet');
    }

    const reply = parseOpenMeteo(raw.body);
    if (raw.status !== undefined && (raw.status < 200 || raw.status > 299)) {
      throw new WeatherReplyError(raw.provider, 'status', raw.status, 'an HTTP error status with a weather body');
    }
    return reply;
  }

  /** Schedules the publication of the first hour that starts after `afterMs`, then the next. */
  private scheduleAfter(reply: OpenMeteoReply, afterMs: number, generation: number): void {
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
    reply: OpenMeteoReply,
    observation: WeatherObservation,
    atMs: number,
  ): Promise<void> {
    await this.bus.publish('weather.observed', { at: atMs, provider: reply.provider, observation });
    await this.updatePrecipitation(observation, atMs);
  }

  /**
   * Publishes a start or stop when the observation changes whether anything is falling. The
   * first known state is published only when something is falling: a stop without a start
   * would be news of nothing. A change of kind while falling (drizzle to rain) is not an event.
   */
  private async updatePrecipitation(observation: WeatherObservation, atMs: number): Promise<void> {
    const falling = isFalling(observation);
    if (falling === null || falling === this.precipitating) return;

    const wasKnown = this.precipitating !== null;
    this.precipitating = falling;
    if (falling) {
      const { kind, rateMmPerHour } = observation.precipitation;
      const started = { at: atMs, kind: kind ?? 'rain', rateMmPerHour };
      await this.bus.publish('precipitation.started', started);
    } else if (wasKnown) {
      await this.bus.publish('precipitation.stopped', { at: atMs });
    }
  }

  private cancelScheduled(): void {
    this.generation++;
    this.cancelNext?.();
    this.cancelNext = null;
  }
}

/**
 * Whether precipitation is falling: a positive rate or a precipitating WMO code. Null when
 * the observation knows neither (a null rate and a null code).
 */
export function isFalling(observation: WeatherObservation): boolean | null {
  const rate = observation.precipitation.rateMmPerHour;
  const code = observation.wmoCode;
  if (rate === null && code === null) return null;
  return (rate !== null && rate > 0) || (code !== null && isPrecipitatingWmo(code));
}
