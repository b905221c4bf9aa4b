/**
 * Records the daemon's days as they happen: every weather reply with a body and every
 * analysed camera frame go into `<dir>/<YYYY-MM-DD>/` (the place's local date), a day
 * folder in the format `skychoir replay` and `render` read (docs/days.md). At local
 * midnight the day is closed and the next one opened; a folder left by an earlier run of
 * the same day gets a sibling (`2026-12-04-2`). Writes are queued in order and never hold
 * the caller back; a write that fails is logged and the recording goes on.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { CameraFrame } from '../camera/frame.js';
import { frameJpeg } from '../camera/frame-jpeg.js';
import type { SkyConfig } from '../config/schema.js';
import type { WeatherProviderId } from '../days/format.js';
import { DayRecorder } from '../days/recorder.js';
import type { Clock } from '../time/clock.js';
import { dailyInstant, localDateOf, type LocalDate } from '../time/jobs.js';
import type { FetchedReply } from '../weather/fetch-reply.js';

export class LiveDayRecording {
  private current: { recorder: DayRecorder; date: string; dir: string; startAt: number } | null = null;
  private queue: Promise<void> = Promise.resolve();
  private readonly log: Logger;
  private closed = false;

  constructor(
    private readonly dir: string,
    private readonly config: SkyConfig,
    private readonly clock: Clock,
    log: Logger,
  ) {
    this.log = log.child({ component: 'day-recording', dir });
  }

  /** The folder of the day being recorded, or null before the first thing came. */
  get currentDir(): string | null {
    return this.current?.dir ?? null;
  }

  addWeather(reply: FetchedReply): void {
    const { receivedAt, status, contentType, body } = reply;
    this.enqueue(receivedAt, (recorder) =>
      recorder.addWeatherReply({ receivedAt, provider: reply.provider as WeatherProviderId, status, contentType, body }),
    );
  }

  addFrame(frame: CameraFrame): void {
    this.enqueue(frame.at, async (recorder) => recorder.addFrame({ capturedAt: frame.at, jpeg: await frameJpeg(frame) }));
  }

  /** Closes the day being recorded at the clock's now, after the writes already queued. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    await this.closeCurrent(this.clock.now());
  }

  private enqueue(atMs: number, write: (recorder: DayRecorder) => Promise<void>): void {
    if (this.closed) return;
    this.queue = this.queue.then(async () => {
      try {
        await write(await this.recorderFor(atMs));
      } catch (error) {
        this.log.error({ err: error }, 'could not record; the recording goes on');
      }
    });
  }

  /** The recorder of `atMs`'s local day, closing the previous day at its midnight. */
  private async recorderFor(atMs: number): Promise<DayRecorder> {
    const timeZone = this.config.place.timezone;
    const local = localDateOf(atMs, timeZone);
    const date = isoDate(local);
    if (this.current?.date === date) return this.current.recorder;

    const midnight = dailyInstant(local, { hour: 0, minute: 0, timeZone });
    await this.closeCurrent(midnight);

    const dir = freeFolder(join(this.dir, date));
    const startAt = Math.min(atMs, Math.max(midnight, this.clock.now()));
    const recorder = await DayRecorder.create(dir, {
      format: 1,
      place: this.config.place,
      startAt,
      endAt: startAt + 86_400_000,
      source: 'skychoir run: recorded live',
    });
    this.current = { recorder, date, dir, startAt };
    this.log.info({ day: dir }, 'recording the day');
    return recorder;
  }

  private async closeCurrent(atMs: number): Promise<void> {
    const current = this.current;
    if (!current) return;
    this.current = null;
    const counts = current.recorder.counts;
    await current.recorder.close(Math.max(atMs, current.startAt + 1000));
    this.log.info({ day: current.dir, ...counts }, 'day recorded');
  }
}

function isoDate(date: LocalDate): string {
  return `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

function freeFolder(base: string): string {
  if (!existsSync(base)) return base;
  for (let index = 2; ; index++) if (!existsSync(`${base}-${index}`)) return `${base}-${index}`;
}
