/**
 * The weather poller: asks the provider for a reply every `intervalS` on the injected
 * {@link Clock} (the system clock live, a virtual one in tests, the same code), and hands each
 * good reply to `onReply` (the weather stage).
 *
 * Guarantees:
 * - The next poll is always scheduled, whatever a poll or the handler does, until stop().
 * - Every wait lies between `backoffFloorS` and `maxBackoffS`. After a success: `intervalS`.
 *   After `server-down` or `network`: exponential backoff with full jitter, the n-th failure
 *   in a row waiting a uniform draw in [floor, min(max, floor * 2^n)]. After `rate-limited`:
 *   `maxBackoffS`. After a key or plan refusal: `keyRetryS` (slow; a new key may activate,
 *   a plan may be upgraded). After anything else (not JSON, not found, malformed): `intervalS`.
 * - URLs are built per poll, from the poll's instant.
 * - A failure is logged once per change of state (warn, with the kind and the scrubbed
 *   reason), and the recovery once (info); a run of identical failures logs nothing more.
 * - The last good reply stays in force: `lastGoodAt` says when it came, and the poller is
 *   `stale` once it is older than `staleAfterS` (reported to `onStaleChanged`, and logged).
 *
 * Sources are an ordered list: the first is preferred. A poll tries them in order, skipping
 * any still resting after its own failure, and stops at the first good reply; so a second
 * source is asked only while the first is failing, and the first is retried on its own backoff.
 * Wall-time jobs (a daily task at a local hour) are not this module's: see src/time/daily.ts.
 */
import type { Logger } from 'pino';
import { scrubSecrets } from '../config/redact.js';
import type { Clock } from '../time/clock.js';
import type { WeatherFailureKind } from './failure.js';
import { TRANSIENT_FAILURES } from './failure.js';
import { fetchWeatherReply, type FetchedReply, type FetchOutcome, type WeatherFailure } from './fetch-reply.js';

/** One provider endpoint to poll. */
export interface WeatherSource {
  /** Provider id, e.g. 'open-meteo'; carried on replies and failures. */
  provider: string;
  /** The request URL for a poll at `atMs` (epoch ms); called once per poll. May hold a key. */
  url: (atMs: number) => string;
  /**
   * Checks a 2xx JSON body against the provider's shape (its parser); throws when it does not
   * fit. A thrown error with a `kind` that is a failure kind (a parser reading `cod: 401`)
   * gives that kind, anything else `malformed`. Omitted: every JSON body is good.
   */
  check?: (body: string) => void;
}

export interface WeatherPollerOptions {
  /** Ordered, preferred first; at least one. */
  sources: readonly WeatherSource[];
  clock: Clock;
  log: Logger;
  /** Receives each good reply. May throw or reject: it is logged and polling goes on. */
  onReply: (reply: FetchedReply) => void | Promise<void>;
  /** Receives each failure (with the reply, where one came, for a recorder). */
  onFailure?: (failure: WeatherFailure) => void | Promise<void>;
  /** Told when the reply in force becomes stale (true) and when a good one comes (false). */
  onStaleChanged?: (stale: boolean, atMs: number) => void;
  /** Seconds between polls while all is well; default 600. */
  intervalS?: number;
  /** The shortest wait, seconds; default 60. */
  backoffFloorS?: number;
  /** The longest wait, seconds; default 3600. Also the wait after `rate-limited`. */
  maxBackoffS?: number;
  /** The wait after a key or plan refusal, seconds; default 1800. */
  keyRetryS?: number;
  /** Age, seconds, past which the last good reply is stale; default 3 intervals. */
  staleAfterS?: number;
  /** Per-request limit, ms; default 15000. */
  timeoutMs?: number;
  /** Uniform in [0, 1); default Math.random. Tests pass a seeded one. */
  random?: () => number;
  /** One request; default {@link fetchWeatherReply}. */
  fetch?: (source: WeatherSource, url: string, signal: AbortSignal) => Promise<FetchOutcome>;
}

/** Per-source health. */
interface SourceState {
  /** The failure kind in force; null while the source answers well (or before it has). */
  failing: WeatherFailureKind | null;
  /** Consecutive failures. */
  failures: number;
  /** When the current run of failures began, epoch ms. */
  failingSince: number;
  /** Not to be asked before this instant (its backoff), epoch ms. */
  restUntil: number;
}

const KEY_FAILURES: ReadonlySet<WeatherFailureKind> = new Set(['invalid-key', 'key-not-active', 'plan-lacks-endpoint']);
const FAILURE_KINDS: ReadonlySet<string> = new Set<WeatherFailureKind>([
  'invalid-key', 'key-not-active', 'plan-lacks-endpoint', 'rate-limited', 'not-found',
  'bad-request', 'server-down', 'network', 'not-json', 'malformed',
]);

export class WeatherPoller {
  private readonly sources: readonly WeatherSource[];
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly options: WeatherPollerOptions;
  private readonly intervalMs: number;
  private readonly floorMs: number;
  private readonly maxMs: number;
  private readonly keyRetryMs: number;
  private readonly staleAfterMs: number;
  private readonly random: () => number;
  private readonly states: SourceState[];
  /** Cancels the next poll; null when none is scheduled. */
  private cancelPoll: (() => void) | null = null;
  /** Cancels the stale check; null when none is scheduled. */
  private cancelStale: (() => void) | null = null;
  /** Aborts the request in flight on stop(). */
  private readonly abort = new AbortController();
  private running = false;
  private lastGood: number | null = null;
  private staleNow = false;
  private handlerFailing = false;
  private next: number | null = null;
  private requests = 0;

  constructor(options: WeatherPollerOptions) {
    if (options.sources.length === 0) throw new RangeError('weather poller: no sources to poll');
    this.options = options;
    this.sources = options.sources;
    this.clock = options.clock;
    this.log = options.log.child({ component: 'weather-poller' });
    this.intervalMs = seconds('intervalS', options.intervalS ?? 600);
    this.floorMs = seconds('backoffFloorS', options.backoffFloorS ?? 60);
    this.maxMs = seconds('maxBackoffS', options.maxBackoffS ?? 3600);
    this.keyRetryMs = seconds('keyRetryS', options.keyRetryS ?? 1800);
    this.staleAfterMs = seconds('staleAfterS', options.staleAfterS ?? 3 * (this.intervalMs / 1000));
    for (const [name, ms] of [['intervalS', this.intervalMs], ['keyRetryS', this.keyRetryMs]] as const) {
      if (ms < this.floorMs || ms > this.maxMs) {
        throw new RangeError(`weather poller: ${name} ${ms / 1000} s is outside ` +
          `backoffFloorS..maxBackoffS (${this.floorMs / 1000}..${this.maxMs / 1000} s)`);
      }
    }
    this.random = options.random ?? Math.random;
    this.states = this.sources.map(() => ({ failing: null, failures: 0, failingSince: 0, restUntil: 0 }));
  }

  /** When the last good reply arrived (epoch ms), or null before the first. */
  get lastGoodAt(): number | null {
    return this.lastGood;
  }

  /** Whether the reply in force is older than `staleAfterS` (or none has come in that long). */
  get stale(): boolean {
    return this.staleNow;
  }

  /** When the next poll is due (epoch ms), or null when stopped. */
  get nextPollAt(): number | null {
    return this.next;
  }

  /** Requests sent so far, all sources together. */
  get requestCount(): number {
    return this.requests;
  }

  /** The failure kind in force for each provider; null where it answers well. */
  get failing(): Record<string, WeatherFailureKind | null> {
    return Object.fromEntries(this.sources.map((source, i) => [source.provider, this.states[i]!.failing]));
  }

  /** Polls at once, then on schedule. The reply is stale if none comes within `staleAfterS`. */
  start(): void {
    if (this.running) return;
    if (this.abort.signal.aborted) throw new Error('weather poller: stopped for good; make a new one');
    this.running = true;
    const now = this.clock.now();
    this.armStale(now);
    this.scheduleAt(now);
  }

  /** Cancels the next poll and the request in flight, for good. `lastGoodAt` is kept. */
  stop(): void {
    this.running = false;
    this.next = null;
    this.abort.abort();
    this.cancelPoll?.();
    this.cancelPoll = null;
    this.cancelStale?.();
    this.cancelStale = null;
  }

  private scheduleAt(atMs: number): void {
    this.next = atMs;
    this.cancelPoll = this.clock.schedule(atMs, () => this.tick());
  }

  /** One poll; whatever happens in it, the next one is scheduled. */
  private async tick(): Promise<void> {
    this.cancelPoll = null;
    let waitMs = this.intervalMs;
    try {
      waitMs = await this.pollSources();
    } catch (error) {
      this.log.error({ reason: reasonOf(error) }, 'weather poll failed unexpectedly; polling goes on');
    } finally {
      if (this.running) this.scheduleAt(this.clock.now() + clamp(waitMs, this.floorMs, this.maxMs));
    }
  }

  /** Asks the sources in order until one answers well; returns the wait before the next poll. */
  private async pollSources(): Promise<number> {
    const startedAt = this.clock.now();
    let nextAt = Number.POSITIVE_INFINITY;

    for (const [index, source] of this.sources.entries()) {
      const state = this.states[index]!;
      if (state.restUntil > startedAt) {
        nextAt = Math.min(nextAt, state.restUntil);
        continue;
      }

      const good = await this.pollOne(source, state);
      if (!this.running) break;
      const now = this.clock.now();
      if (good) return Math.min(nextAt, now + this.intervalMs) - now;
      nextAt = Math.min(nextAt, state.restUntil);
    }
    return nextAt - this.clock.now();
  }

  /** One request to one source, its outcome recorded; whether a good reply came. */
  private async pollOne(source: WeatherSource, state: SourceState): Promise<boolean> {
    const atMs = this.clock.now();
    const url = source.url(atMs);
    this.requests++;
    const outcome = await (this.options.fetch ?? this.defaultFetch)(source, url, this.abort.signal);
    if (!this.running) return false;

    const failure = outcome.ok ? this.check(source, outcome.reply) : outcome.failure;
    if (failure) {
      await this.failed(state, failure);
      return false;
    }
    if (!outcome.ok) return false;

    this.recovered(source, state);
    await this.deliver(outcome.reply);
    return true;
  }

  private readonly defaultFetch = (source: WeatherSource, url: string, signal: AbortSignal) =>
    fetchWeatherReply({
      provider: source.provider,
      url,
      clock: this.clock,
      signal,
      ...(this.options.timeoutMs === undefined ? {} : { timeoutMs: this.options.timeoutMs }),
    });

  private check(source: WeatherSource, reply: FetchedReply): WeatherFailure | null {
    if (!source.check) return null;
    try {
      source.check(reply.body);
      return null;
    } catch (error) {
      const stated = (error as { kind?: unknown } | null)?.kind;
      const kind = typeof stated === 'string' && FAILURE_KINDS.has(stated) ? (stated as WeatherFailureKind) : 'malformed';
      return { provider: source.provider, kind, reason: scrubSecrets(reasonOf(error)), reply };
    }
  }

  private async failed(state: SourceState, failure: WeatherFailure): Promise<void> {
    const now = this.clock.now();
    const changed = state.failing !== failure.kind;
    if (state.failing === null) state.failingSince = now;
    state.failures = changed ? 1 : state.failures + 1;
    state.failing = failure.kind;
    const waitMs = this.waitAfter(failure.kind, state.failures);
    state.restUntil = now + waitMs;

    const { provider, kind, reason } = failure;
    const fields = { provider, kind, reason: scrubSecrets(reason), retryInS: Math.round(waitMs / 1000) };
    if (changed) this.log.warn(fields, 'weather provider failing; last good reply kept');
    else this.log.debug({ ...fields, failures: state.failures }, 'weather provider still failing');

    try {
      await this.options.onFailure?.(failure);
    } catch (error) {
      this.log.error({ reason: reasonOf(error) }, 'weather failure handler threw; polling goes on');
    }
  }

  private recovered(source: WeatherSource, state: SourceState): void {
    const now = this.clock.now();
    if (state.failing !== null) {
      this.log.info(
        { provider: source.provider, kind: state.failing, failures: state.failures,
          downS: Math.round((now - state.failingSince) / 1000) },
        'weather provider answers again',
      );
    }
    state.failing = null;
    state.failures = 0;
    state.restUntil = 0;
  }

  private async deliver(reply: FetchedReply): Promise<void> {
    this.lastGood = reply.receivedAt;
    this.armStale(reply.receivedAt);
    this.setStale(false, reply.receivedAt);

    try {
      await this.options.onReply(reply);
      if (this.handlerFailing) this.log.info('weather reply handler works again');
      this.handlerFailing = false;
    } catch (error) {
      if (!this.handlerFailing) {
        this.log.error({ reason: reasonOf(error) }, 'weather reply handler threw; polling goes on');
      }
      this.handlerFailing = true;
    }
  }

  /** The wait after the `count`-th failure in a row of `kind`, within floor..max. */
  private waitAfter(kind: WeatherFailureKind, count: number): number {
    if (TRANSIENT_FAILURES.has(kind)) {
      const ceilingMs = Math.min(this.maxMs, this.floorMs * 2 ** Math.min(count, 30));
      return clamp(this.floorMs + this.random() * (ceilingMs - this.floorMs), this.floorMs, this.maxMs);
    }
    if (kind === 'rate-limited') return this.maxMs;
    if (KEY_FAILURES.has(kind)) return this.keyRetryMs;
    return this.intervalMs;
  }

  private armStale(fromMs: number): void {
    this.cancelStale?.();
    const atMs = fromMs + this.staleAfterMs;
    this.cancelStale = this.clock.schedule(atMs, () => {
      this.cancelStale = null;
      if (this.running) this.setStale(true, atMs);
    });
  }

  private setStale(stale: boolean, atMs: number): void {
    if (stale === this.staleNow) return;
    this.staleNow = stale;
    if (stale) {
      const ageS = this.lastGood === null ? null : Math.round((atMs - this.lastGood) / 1000);
      this.log.warn({ lastGoodAt: this.lastGood, ageS }, 'weather is stale: no good reply for a while');
    } else {
      this.log.info({ lastGoodAt: this.lastGood }, 'weather is fresh again');
    }

    try {
      this.options.onStaleChanged?.(stale, atMs);
    } catch (error) {
      this.log.error({ reason: reasonOf(error) }, 'weather stale handler threw');
    }
  }
}

function seconds(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`weather poller: ${name} ${value}: expected a positive number of seconds`);
  }
  return value * 1000;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/** An error in words, secrets scrubbed (never the error object: an axios one holds the URL). */
function reasonOf(error: unknown): string {
  return scrubSecrets(error instanceof Error ? error.message : String(error));
}
