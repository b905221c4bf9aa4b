import type { Logger } from 'pino';
import type { SkyConfig } from '../config/schema.js';
import { DayRecorder } from '../days/recorder.js';
import { FrameRecording } from './record-frames.js';
import type { Clock } from '../time/clock.js';
import type { FetchedReply } from '../weather/fetch-reply.js';
import { WeatherPoller } from '../weather/poller.js';
import { parseForecastReply } from '../weather/providers.js';
import type { WeatherProviderId } from '../days/format.js';
import { configuredProviders, weatherRequestUrl } from '../weather/sources.js';

export interface RecordOptions {
  config: SkyConfig;
  /** An empty or missing folder the day is written into (docs/days.md). */
  dir: string;
  /** How long to record, in seconds of the clock; until the signal when absent. */
  durationS?: number;
  clock: Clock;
  log: Logger;
  signal?: AbortSignal;
}

export interface RecordResult {
  startAt: number;
  endAt: number;
  weather: number;
  /** Camera frames recorded (0 without a camera). */
  frames: number;
}

export interface DayRecording {
  startAt: number;
  /** Stops polling and closes the day at the clock's now. */
  stop(): Promise<RecordResult>;
}

/**
 * Starts recording a day: polls the configured provider on the clock and writes every reply
 * that came with a body, good or refused, exactly as it arrived, with its arrival instant,
 * and, when a camera is configured, its frames at the analysis rate with their capture
 * instants, so that a replay sees what the live run saw. Resolves once polling has started
 * (the camera may still be connecting: it is retried, and never holds the weather back).
 */
export async function startDayRecording(options: Omit<RecordOptions, 'durationS' | 'signal'>): Promise<DayRecording> {
  const { config, clock, log } = options;
  const startAt = clock.now();
  const recorder = await DayRecorder.create(options.dir, {
    format: 1,
    place: config.place,
    startAt,
    // A placeholder: the window is closed where the recording stops.
    endAt: startAt + 86_400_000,
    source:
      `skychoir record: ${configuredProviders(config).join(', then ')} every ${config.weather.pollIntervalS} s` +
      (config.camera.url ? `; camera frames at ${config.camera.analysisFps} per second` : ''),
  });

  const providers = configuredProviders(config);
  const keep = async (reply: FetchedReply): Promise<void> => {
    const { receivedAt, status, contentType, body } = reply;
    await recorder.addWeatherReply({ receivedAt, provider: reply.provider as WeatherProviderId, status, contentType, body });
  };
  const poller = new WeatherPoller({
    sources: providers.map((source) => ({
      provider: source,
      url: (atMs: number) => weatherRequestUrl(config, atMs, source),
      check: (body: string) => void parseForecastReply(source, body),
    })),
    clock,
    log,
    intervalS: config.weather.pollIntervalS,
    // The longest wait must allow the interval itself (the setting goes up to a day).
    maxBackoffS: Math.max(3600, config.weather.pollIntervalS),
    onReply: keep,
    onFailure: async (failure) => {
      if (failure.reply) await keep(failure.reply);
    },
  });

  const frames = config.camera.url ? new FrameRecording(recorder, config, clock, log) : null;

  log.info({ dir: options.dir, providers, camera: frames !== null }, 'recording started');
  poller.start();
  frames?.start();

  return {
    startAt,
    stop: async () => {
      poller.stop();
      await frames?.stop();
      const endAt = Math.max(clock.now(), startAt + 1000);
      await recorder.close(endAt);
      const { weather, frames: frameCount } = recorder.counts;
      log.info({ dir: options.dir, weather, frames: frameCount, endAt: new Date(endAt).toISOString() }, 'recording finished');
      return { startAt, endAt, weather, frames: frameCount };
    },
  };
}

/** Records for `durationS` seconds of the clock, or until the signal aborts. */
export async function recordDay(options: RecordOptions): Promise<RecordResult> {
  const recording = await startDayRecording(options);

  await new Promise<void>((resolve) => {
    const endAt = recording.startAt + (options.durationS ?? 0) * 1000;
    const cancel = options.durationS === undefined ? () => {} : options.clock.schedule(endAt, resolve);
    options.signal?.addEventListener('abort', () => {
      cancel();
      resolve();
    }, { once: true });
    if (options.signal?.aborted) resolve();
  });

  return recording.stop();
}
