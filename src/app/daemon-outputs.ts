/**
 * The daemon's outputs, started together: the HTTP streams (MP3 always, Ogg/Opus when
 * configured) and the configured others (Icecast, the sound card, daily files). An output
 * that cannot start (no sound card yet, a folder that cannot be written) is reported, left
 * out while the rest play, and tried again with backoff (30 s doubling to 30 min) until it
 * starts. None of them can hold the mix back (see AudioOutput).
 */
import type { Logger } from 'pino';
import type { SkyConfig } from '../config/schema.js';
import type { AudioOutput, OutputHealth } from '../output/audio-output.js';
import { HttpStreamOutput } from '../output/http-stream-output.js';
import { makeOutputs } from '../output/make-outputs.js';
import type { ListenerFanOut } from '../server/http-server.js';
import { RestartBackoff } from '../camera/backoff.js';
import type { Clock } from '../time/clock.js';

export class DaemonOutputs {
  /** The outputs taking audio; the mix reads this list at every chunk, so a retried output joins it. */
  private readonly outputs: AudioOutput[];
  private readonly failed = new Map<AudioOutput, OutputHealth>();
  private readonly cancelRetries = new Set<() => void>();
  private stopped = false;
  private readonly mp3: HttpStreamOutput;
  private readonly opus: HttpStreamOutput | null;
  private readonly log: Logger;

  constructor(config: SkyConfig, private readonly clock: Clock, log: Logger) {
    this.log = log.child({ component: 'outputs' });
    this.outputs = makeOutputs(config, clock, log);
    const streams = this.outputs.filter((output): output is HttpStreamOutput => output instanceof HttpStreamOutput);
    this.mp3 = streams.find((stream) => stream.path === '/stream')!;
    this.opus = streams.find((stream) => stream.path === '/stream.opus') ?? null;
  }

  /** The outputs taking audio (those that failed to start are not in it). */
  get all(): readonly AudioOutput[] {
    return this.outputs;
  }

  /** The HTTP streams for the server: /stream and /stream.mp3 (MP3), /stream.opus. */
  get streams(): Array<{ path: string; contentType: string; fanOut: ListenerFanOut }> {
    const mp3 = { contentType: this.mp3.contentType, fanOut: this.mp3.fanOut };
    const streams = [
      { path: '/stream', ...mp3 },
      { path: '/stream.mp3', ...mp3 },
    ];
    if (this.opus) streams.push({ path: this.opus.path, contentType: this.opus.contentType, fanOut: this.opus.fanOut });
    return streams;
  }

  /** Starts every output; one that cannot start is logged, shown as failed, left out and retried. */
  async start(): Promise<void> {
    for (const output of [...this.outputs]) {
      if (await this.tryStart(output)) continue;
      this.outputs.splice(this.outputs.indexOf(output), 1);
      this.retryLater(output, new RestartBackoff(30_000, 1_800_000));
    }
  }

  private async tryStart(output: AudioOutput): Promise<boolean> {
    try {
      await output.start();
      return true;
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      this.log.error({ output: output.name, reason: detail }, 'output could not start; the others play, and it is tried again');
      const tries = (this.failed.get(output)?.restarts ?? -1) + 1;
      this.failed.set(output, { name: output.name, state: 'failed', detail, restarts: tries });
      return false;
    }
  }

  private retryLater(output: AudioOutput, backoff: RestartBackoff): void {
    const cancel = this.clock.schedule(this.clock.now() + backoff.next(), async () => {
      this.cancelRetries.delete(cancel);
      if (this.stopped) return;
      if (!(await this.tryStart(output))) return this.retryLater(output, backoff);

      if (this.stopped) return void (await output.stop());
      this.failed.delete(output);
      this.outputs.push(output);
      this.log.info({ output: output.name }, 'output started on a later try');
    });
    this.cancelRetries.add(cancel);
  }

  /** Flushes and stops every output, each whatever the others do. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const cancel of this.cancelRetries) cancel();
    await Promise.all(
      this.outputs.map((output) =>
        output.stop().catch((error: unknown) => this.log.error({ output: output.name, err: error }, 'output failed to stop cleanly')),
      ),
    );
  }

  health(): OutputHealth[] {
    return [...this.outputs.map((output) => output.health()), ...this.failed.values()];
  }

  listeners(): { mp3: number; opus: number } {
    return { mp3: this.mp3.fanOut.size, opus: this.opus?.fanOut.size ?? 0 };
  }
}
