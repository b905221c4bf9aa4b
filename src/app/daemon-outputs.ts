/**
 * The daemon's outputs, started together: the HTTP streams (MP3 always, Ogg/Opus when
 * configured) and the configured others (Icecast, the sound card, daily files). An output that cannot start (no sound card, a
 * folder that cannot be written) is reported and left out; the rest play. None of them can
 * hold the mix back (see AudioOutput).
 */
import type { Logger } from 'pino';
import type { SkyConfig } from '../config/schema.js';
import type { AudioOutput, OutputHealth } from '../output/audio-output.js';
import { HttpStreamOutput } from '../output/http-stream-output.js';
import { makeOutputs } from '../output/make-outputs.js';
import type { ListenerFanOut } from '../server/http-server.js';
import type { Clock } from '../time/clock.js';

export class DaemonOutputs {
  private readonly outputs: AudioOutput[];
  private readonly failed: OutputHealth[] = [];
  private readonly mp3: HttpStreamOutput;
  private readonly opus: HttpStreamOutput | null;
  private readonly log: Logger;

  constructor(config: SkyConfig, clock: Clock, log: Logger) {
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

  /** Starts every output; one that cannot start is logged, kept in the health list as failed, and left out. */
  async start(): Promise<void> {
    for (const output of [...this.outputs]) {
      try {
        await output.start();
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        this.log.error({ output: output.name, reason: detail }, 'output could not start; the others play');
        this.outputs.splice(this.outputs.indexOf(output), 1);
        this.failed.push({ name: output.name, state: 'failed', detail, restarts: 0 });
      }
    }
  }

  /** Flushes and stops every output, each whatever the others do. */
  async stop(): Promise<void> {
    await Promise.all(
      this.outputs.map((output) =>
        output.stop().catch((error: unknown) => this.log.error({ output: output.name, err: error }, 'output failed to stop cleanly')),
      ),
    );
  }

  health(): OutputHealth[] {
    return [...this.outputs.map((output) => output.health()), ...this.failed];
  }

  listeners(): { mp3: number; opus: number } {
    return { mp3: this.mp3.fanOut.size, opus: this.opus?.fanOut.size ?? 0 };
  }
}
