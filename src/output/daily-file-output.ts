import { existsSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { RestartBackoff } from '../camera/backoff.js';
import { InputError } from '../errors.js';
import type { Clock } from '../time/clock.js';
import { localDateOf, scheduleDaily, type LocalDate } from '../time/jobs.js';
import type { AudioOutput, OutputHealth } from './audio-output.js';
import { CODECS } from './encoder.js';
import { EncoderSupervisor } from './encoder-supervisor.js';
import { LiveEncoder } from './live-encoder.js';

export type DailyFileFormat = 'ogg' | 'flac' | 'mp3';

export interface DailyFileOptions {
  /** The folder (output.recordDir); made if missing. */
  dir: string;
  format: DailyFileFormat;
  /** IANA zone of the place: files follow its local dates and rotate at its midnight. */
  timeZone: string;
  ffmpegPath: string;
  /** Hz of the PCM written. */
  sampleRate: number;
  clock: Clock;
  log: Logger;
  /** Between restarts of a failed encoder; by default 1 s floor, 60 s ceiling. */
  backoff?: RestartBackoff;
}

/**
 * Writes the mix to one file per local day: `<dir>/skychoir-YYYY-MM-DD.<ext>`. At local
 * midnight (on the injected clock) the next day's file is started and the old one finished:
 * its encoder is flushed, so it decodes to the end. A file is written as `.partial` and
 * renamed when complete; an existing file (or .partial) of the same day is never overwritten:
 * a counter is added (skychoir-2026-12-04-2.ogg). An encoder that fails (disk full) is
 * restarted with backoff into a new file; its own `.partial` is left as it is, for a person
 * to look at.
 *
 * Caveat: the file boundary is the clock's midnight, not a sample count: a chunk handed over
 * just before midnight lands whole in the old file, so a seam may sit up to a chunk (about
 * 2 s) away from midnight.
 */
export class DailyFileOutput implements AudioOutput {
  readonly name = 'file';
  private readonly supervisor: EncoderSupervisor;
  private readonly paths = new Map<LiveEncoder, { partial: string; final: string }>();
  private readonly log: Logger;
  private cancelRotation = (): void => {};
  /** Files finished and renamed so far, oldest first. */
  readonly completed: string[] = [];

  constructor(private readonly options: DailyFileOptions) {
    this.log = options.log.child({ component: 'daily-file' });
    const outputArgs = CODECS[options.format];

    this.supervisor = new EncoderSupervisor({
      name: this.name,
      clock: options.clock,
      log: this.log,
      backoff: options.backoff ?? new RestartBackoff(1_000, 60_000),
      runningWhen: 'spawn',
      ffmpegPath: options.ffmpegPath,
      launch: () => {
        const final = this.freePath(localDateOf(options.clock.now(), options.timeZone));
        const partial = `${final}.partial`;
        const encoder = new LiveEncoder({ ...options, outputArgs: [...outputArgs, partial] });
        this.paths.set(encoder, { partial, final });
        this.log.info({ file: final }, 'daily file started');
        return encoder;
      },
      onExit: (encoder, exit) => this.finished(encoder, exit.code),
    });
  }

  /** Makes the folder, starts today's file and the midnight rotation. */
  async start(): Promise<void> {
    try {
      await mkdir(this.options.dir, { recursive: true });
    } catch (error) {
      throw new InputError(`cannot make the recording folder "${this.options.dir}" (output.recordDir): ${(error as Error).message}`);
    }

    await this.supervisor.start();
    const midnight = { hour: 0, minute: 0, timeZone: this.options.timeZone };
    this.cancelRotation = scheduleDaily(this.options.clock, midnight, () => this.supervisor.rotate());
  }

  write(pcm: Buffer): void {
    this.supervisor.write(pcm);
  }

  /** Finishes the current file (flushed and renamed) and stops. */
  async stop(): Promise<void> {
    this.cancelRotation();
    await this.supervisor.stop();
  }

  health(): OutputHealth {
    return { name: this.name, ...this.supervisor.health() };
  }

  /** The first name of the day that neither exists nor is being written. */
  private freePath(date: LocalDate): string {
    const day = `${date.year}-${pad(date.month)}-${pad(date.day)}`;
    const extension = this.options.format;
    const taken = (path: string): boolean =>
      existsSync(path) || existsSync(`${path}.partial`) || [...this.paths.values()].some((each) => each.final === path);

    for (let counter = 1; ; counter++) {
      const name = counter === 1 ? `skychoir-${day}.${extension}` : `skychoir-${day}-${counter}.${extension}`;
      const path = join(this.options.dir, name);
      if (!taken(path)) return path;
    }
  }

  /** A clean exit means a complete file: renamed to its final name. */
  private async finished(encoder: LiveEncoder, code: number | null): Promise<void> {
    const paths = this.paths.get(encoder);
    this.paths.delete(encoder);
    if (!paths) return;

    if (code !== 0) {
      this.log.warn({ file: paths.partial, code, stderr: encoder.lastError() }, 'daily file incomplete; left as .partial');
      return;
    }
    try {
      await rename(paths.partial, paths.final);
      this.completed.push(paths.final);
      this.log.info({ file: paths.final }, 'daily file complete');
    } catch (error) {
      this.log.warn({ file: paths.partial, err: error }, 'daily file could not be renamed');
    }
  }
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
