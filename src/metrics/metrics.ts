import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BridgeHealth } from '../bridge/bridge-health.js';
import type { EventBus } from '../bus/bus.js';
import type { OutputHealth } from '../output/audio-output.js';
import type { WeatherFailureKind } from '../weather/failure.js';
import { BusMetrics } from './bus-metrics.js';
import { WatchedMetrics } from './watched-metrics.js';

/** How one weather poll ended: a usable reply, or the kind of failure. */
export type WeatherPollOutcome = 'ok' | WeatherFailureKind;

/** The text exposition of every metric, as GET /metrics answers it. */
export interface MetricsPage {
  contentType: string;
  body: string;
}

/**
 * The daemon's Prometheus metrics, in a registry of their own (nothing global), all named
 * `skychoir_…`, with Node's default metrics (CPU, memory, event-loop lag, GC) under the same
 * prefix. Three ways in:
 *
 * - `follow(bus)`: events by name, rejected frames, camera and source status, from the bus;
 * - calls the stages make as things happen: `frameAnalysed`, `chunkRendered`, `audioLead`,
 *   `weatherPolled`;
 * - readers called at each scrape: `watchOutputs` (state, restarts, listeners), `watchBridge`.
 *
 * Durations are in seconds, as Prometheus expects. A negative or non-finite value given to a
 * call is ignored rather than thrown, so a metric can never break the stage that reports it.
 */
export class SkyMetrics {
  readonly registry = new Registry();
  private readonly bus: BusMetrics;
  private readonly watched: WatchedMetrics;
  private readonly framesAnalysed: Counter;
  private readonly analysisSeconds: Histogram;
  private readonly chunksRendered: Counter;
  private readonly renderSeconds: Histogram;
  private readonly audioRenderedSeconds: Counter;
  private readonly audioLeadSeconds: Gauge;
  private readonly weatherPolls: Counter<'provider' | 'outcome'>;

  /** `defaultMetrics: false` leaves out Node's process metrics (for tests that count lines). */
  constructor(options: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'skychoir_' });
    this.bus = new BusMetrics(this.registry);
    this.watched = new WatchedMetrics(this.registry);

    this.framesAnalysed = new Counter({ name: 'skychoir_frames_analysed_total', help: 'Camera frames analysed.', registers });
    this.analysisSeconds = new Histogram({
      name: 'skychoir_frame_analysis_seconds',
      help: 'Time to analyse one frame (motion, detector, classifier, tracker), in seconds.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });

    this.chunksRendered = new Counter({ name: 'skychoir_audio_chunks_rendered_total', help: 'Audio chunks rendered.', registers });
    this.renderSeconds = new Histogram({
      name: 'skychoir_audio_chunk_render_seconds',
      help: 'Time to render one audio chunk, in seconds (compare with its length for the speed).',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20],
      registers,
    });
    this.audioRenderedSeconds = new Counter({
      name: 'skychoir_audio_rendered_seconds_total',
      help: 'Seconds of audio rendered.',
      registers,
    });
    this.audioLeadSeconds = new Gauge({
      name: 'skychoir_audio_lead_seconds',
      help: 'Seconds of audio rendered ahead of real time; near 0 the stream is about to starve.',
      registers,
    });

    this.weatherPolls = new Counter({
      name: 'skychoir_weather_polls_total',
      help: 'Weather requests, by provider and outcome (ok, or the kind of failure).',
      labelNames: ['provider', 'outcome'],
      registers,
    });
  }

  /** Counts the bus's events until the returned function is called. */
  follow(bus: EventBus): () => void {
    return this.bus.follow(bus);
  }

  /** One frame analysed, in `durationS` seconds. Rejected frames are counted from the bus. */
  frameAnalysed(durationS: number): void {
    if (!isDuration(durationS)) return;
    this.framesAnalysed.inc();
    this.analysisSeconds.observe(durationS);
  }

  /** One chunk of `audioS` seconds of audio rendered in `renderS` seconds. */
  chunkRendered(renderS: number, audioS: number): void {
    if (!isDuration(renderS) || !isDuration(audioS)) return;
    this.chunksRendered.inc();
    this.renderSeconds.observe(renderS);
    this.audioRenderedSeconds.inc(audioS);
  }

  /** Seconds of audio ready ahead of real time, now (may be negative when late). */
  audioLead(seconds: number): void {
    if (Number.isFinite(seconds)) this.audioLeadSeconds.set(seconds);
  }

  weatherPolled(provider: string, outcome: WeatherPollOutcome): void {
    this.weatherPolls.inc({ provider, outcome });
  }

  /** Reads the outputs at each scrape, e.g. `() => outputs.map((output) => output.health())`. */
  watchOutputs(read: () => readonly OutputHealth[]): void {
    this.watched.watchOutputs(read);
  }

  /** Reads the MQTT bridge at each scrape: `() => bridge.health()`. */
  watchBridge(read: () => BridgeHealth): void {
    this.watched.watchBridge(read);
  }

  /** Every metric, collected now, in Prometheus's text format. */
  async render(): Promise<MetricsPage> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

function isDuration(seconds: number): boolean {
  return Number.isFinite(seconds) && seconds >= 0;
}
