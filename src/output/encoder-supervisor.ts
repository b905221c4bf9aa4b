import type { Logger } from 'pino';
import type { RestartBackoff } from '../camera/backoff.js';
import { InputError } from '../errors.js';
import type { Clock } from '../time/clock.js';
import type { OutputHealth } from './audio-output.js';
import type { EncoderExit, LiveEncoder } from './live-encoder.js';

export interface EncoderSupervisorOptions {
  /** The output's name, for logs and health; holds no secret. */
  name: string;
  clock: Clock;
  log: Logger;
  /** Waits between restarts after failures in a row; reset once an encoder has produced output. */
  backoff: RestartBackoff;
  /** Starts a fresh encoder (a new ffmpeg); wire its output here. May throw: that counts as a failure. */
  launch: () => LiveEncoder;
  /** Called once each encoder has exited, whether it was asked to or not, before any restart. */
  onExit?: (encoder: LiveEncoder, exit: EncoderExit, asked: boolean) => void | Promise<void>;
  /** 'output': running once the owner calls noteOutput (bytes, a progress report); 'spawn': once ffmpeg runs. */
  runningWhen: 'output' | 'spawn';
  /** Restart an encoder that is being fed but has produced no output for this long (ms). */
  stallAfterMs?: number;
  /** The ffmpeg path, for the error when it is missing. */
  ffmpegPath: string;
}

/**
 * Keeps one live ffmpeg running for an output: restarts it with backoff when it exits or
 * stalls, counts restarts and dropped PCM, and reports the output's health. At most one
 * encoder is fed at a time; PCM written while none runs is dropped (and counted).
 */
export class EncoderSupervisor {
  private current: LiveEncoder | null = null;
  private readonly asked = new Set<LiveEncoder>();
  private state: OutputHealth['state'] = 'stopped';
  private detail: string | undefined;
  private restarts = 0;
  private stopped = false;
  private cancelRelaunch = (): void => {};
  private cancelWatch = (): void => {};
  private lastFedMs = 0;
  private lastOutputMs = 0;
  /** PCM bytes dropped because no encoder ran or it was behind. */
  droppedBytes = 0;

  constructor(private readonly options: EncoderSupervisorOptions) {}

  /** Starts the first encoder; rejects (InputError) only when ffmpeg cannot be run at all. */
  async start(): Promise<void> {
    this.stopped = false;
    this.launch();
    try {
      await this.current?.spawned;
    } catch (error) {
      await this.stop();
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'not found' : `cannot run (${(error as Error).message})`;
      this.setState('failed', `ffmpeg ${why} at "${this.options.ffmpegPath}"`);
      throw new InputError(`${this.options.name}: ffmpeg ${why} at "${this.options.ffmpegPath}": install ffmpeg or set output.ffmpegPath`);
    }
    if (this.options.stallAfterMs) this.watch(this.options.stallAfterMs);
  }

  /** Feeds the running encoder; drops (counts) the chunk when there is none or it is behind. */
  write(pcm: Buffer): void {
    this.lastFedMs = this.options.clock.now();
    if (!this.current?.write(pcm)) this.droppedBytes += pcm.length;
  }

  /**
   * The owner saw `encoder` produce something (bytes, a progress report): it works, so the
   * output is running and the backoff starts over. Output of an encoder already replaced is ignored.
   */
  noteOutput(encoder: LiveEncoder): void {
    if (encoder !== this.current) return;
    this.lastOutputMs = this.options.clock.now();
    if ((this.state === 'starting' || this.state === 'reconnecting') && !this.stopped) {
      this.options.backoff.reset();
      this.setState('running', undefined);
    }
  }

  /** Starts the next encoder, then lets the current one finish its output (a file rotation). */
  async rotate(): Promise<void> {
    const previous = this.current;
    this.launch();
    if (previous) await this.retire(previous, 'finish');
  }

  /** Ends the input, lets the encoder finish its output, and stops restarting. Idempotent. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelRelaunch();
    this.cancelWatch();
    const last = this.current;
    this.current = null;
    if (last) await this.retire(last, 'finish');
    if (this.state !== 'failed') this.setState('stopped', undefined);
  }

  health(): Omit<OutputHealth, 'name'> {
    return { state: this.state, detail: this.detail, restarts: this.restarts };
  }

  /** The encoder being fed, if any (tests kill it to check the restart). */
  get encoder(): LiveEncoder | null {
    return this.current;
  }

  private launch(): void {
    this.lastOutputMs = this.options.clock.now();
    let encoder: LiveEncoder;
    try {
      encoder = this.options.launch();
    } catch (error) {
      this.current = null;
      this.retryLater(`cannot start: ${(error as Error).message}`);
      return;
    }

    this.current = encoder;
    if (this.options.runningWhen === 'spawn') {
      void encoder.spawned.then(() => this.noteOutput(encoder), () => {});
    }
    if (this.state !== 'reconnecting') this.setState('starting', undefined);
    void encoder.exited.then((exit) => this.exitedItself(encoder, exit));
  }

  private async retire(encoder: LiveEncoder, how: 'finish' | 'kill'): Promise<void> {
    this.asked.add(encoder);
    const exit = how === 'finish' ? await encoder.finish() : await encoder.kill();
    this.asked.delete(encoder);
    await this.options.onExit?.(encoder, exit, true);
  }

  private async exitedItself(encoder: LiveEncoder, exit: EncoderExit): Promise<void> {
    if (this.asked.has(encoder)) return;
    if (this.current === encoder) this.current = null;
    await this.options.onExit?.(encoder, exit, false);
    if (!this.stopped) this.retryLater(describeExit(exit, encoder.lastError()));
  }

  private retryLater(reason: string): void {
    const waitMs = this.options.backoff.next();
    this.setState('reconnecting', `${reason}; retry in ${Math.round(waitMs / 100) / 10} s`);
    this.options.log.warn({ reason, retryInMs: Math.round(waitMs) }, 'encoder stopped; restarting after backoff');

    const { clock } = this.options;
    this.cancelRelaunch = clock.schedule(clock.now() + waitMs, () => {
      if (this.stopped) return;
      this.restarts += 1;
      this.options.log.info({ restarts: this.restarts }, 'encoder restarted');
      this.launch();
    });
  }

  /** Every half stall period: an encoder fed lately whose output stopped is killed (and restarted). */
  private watch(stallAfterMs: number): void {
    const { clock } = this.options;
    const check = (): void => {
      const now = clock.now();
      const encoder = this.current;
      const fedLately = now - this.lastFedMs < stallAfterMs;
      if (encoder && fedLately && now - this.lastOutputMs > stallAfterMs) {
        this.options.log.warn({ stallAfterMs }, 'encoder produced nothing while fed; killing it');
        this.current = null;
        void this.retire(encoder, 'kill').then(() => {
          if (!this.stopped) this.retryLater(`stalled: no output for ${stallAfterMs / 1000} s`);
        });
      }
      this.cancelWatch = clock.schedule(now + stallAfterMs / 2, check);
    };
    this.cancelWatch = clock.schedule(clock.now() + stallAfterMs / 2, check);
  }

  private setState(state: OutputHealth['state'], detail: string | undefined): void {
    if (state !== this.state) this.options.log.info({ state, detail }, 'output state');
    this.state = state;
    this.detail = detail;
  }
}

/** Why an encoder ended, in words (its stderr is scrubbed already). */
function describeExit(exit: EncoderExit, lastError: string): string {
  if (exit.error) return `ffmpeg failed: ${exit.error.message}`;
  const how = exit.signal ? `ffmpeg killed by ${exit.signal}` : `ffmpeg exited with ${exit.code}`;
  return lastError ? `${how}: ${lastError}` : how;
}
