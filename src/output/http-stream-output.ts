import type { Logger } from 'pino';
import { RestartBackoff } from '../camera/backoff.js';
import type { Clock } from '../time/clock.js';
import type { AudioOutput, OutputHealth } from './audio-output.js';
import { EncoderSupervisor } from './encoder-supervisor.js';
import { StreamFanOut } from './fan-out.js';
import { LiveEncoder } from './live-encoder.js';
import { OggFanOut } from './ogg-fan-out.js';

export type HttpStreamFormat = 'mp3' | 'opus';

export interface HttpStreamOptions {
  format: HttpStreamFormat;
  bitrateKbps: number;
  ffmpegPath: string;
  /** Hz of the PCM written (48 kHz in the daemon; Opus needs 48 kHz). */
  sampleRate: number;
  clock: Clock;
  log: Logger;
  /** Restart an encoder fed for this long without output (ms); 10 s by default. */
  stallAfterMs?: number;
  /** Between encoder restarts; by default 1 s floor, 60 s ceiling, with jitter. */
  backoff?: RestartBackoff;
  /** A listener with more than this many bytes queued is dropped (StreamFanOut's default: 1 MiB). */
  maxListenerQueueBytes?: number;
}

const FORMATS: Record<HttpStreamFormat, { path: string; contentType: string; codec: (kbps: number) => string[] }> = {
  // No ID3 tag and no Xing frame: a live stream has no length to put in them.
  mp3: {
    path: '/stream',
    contentType: 'audio/mpeg',
    codec: (kbps) => ['-c:a', 'libmp3lame', '-b:a', `${kbps}k`, '-id3v2_version', '0', '-write_xing', '0', '-f', 'mp3'],
  },
  // Pages of at most 200 ms, so that a listener joins soon and every page goes out at once.
  opus: {
    path: '/stream.opus',
    contentType: 'audio/ogg; codecs=opus',
    codec: (kbps) => ['-c:a', 'libopus', '-b:a', `${kbps}k`, '-page_duration', '200000', '-flush_packets', '1', '-f', 'ogg'],
  },
};

/**
 * The mix as an endless HTTP stream: one ffmpeg encoder whose bytes a fan-out copies to every
 * listener. The server adds listeners with `output.fanOut.add(response)` and serves them at
 * `path` with `contentType`. An encoder that dies, or is fed but writes nothing for
 * `stallAfterMs`, is restarted with backoff; listeners stay connected (MP3 resynchronises;
 * Ogg listeners get the new encoder's header pages: a chained stream, see OggFanOut).
 */
export class HttpStreamOutput implements AudioOutput {
  readonly name: string;
  readonly path: string;
  readonly contentType: string;
  readonly fanOut: StreamFanOut;
  private readonly supervisor: EncoderSupervisor;
  /** The latest encoder started: only its bytes go out (an old one's last bytes would split a page). */
  private latest: LiveEncoder | null = null;

  constructor(options: HttpStreamOptions) {
    const format = FORMATS[options.format];
    this.name = `http ${options.format}`;
    this.path = format.path;
    this.contentType = format.contentType;

    const log = options.log.child({ component: `stream-${options.format}` });
    this.fanOut = options.format === 'opus'
      ? new OggFanOut(log, options.maxListenerQueueBytes)
      : new StreamFanOut(log, options.maxListenerQueueBytes);

    const outputArgs = [...format.codec(options.bitrateKbps), 'pipe:1'];
    this.supervisor = new EncoderSupervisor({
      name: this.name,
      clock: options.clock,
      log,
      backoff: options.backoff ?? new RestartBackoff(1_000, 60_000),
      runningWhen: 'output',
      stallAfterMs: options.stallAfterMs ?? 10_000,
      ffmpegPath: options.ffmpegPath,
      launch: () => {
        this.fanOut.encoderRestarted();
        const encoder = new LiveEncoder({ ...options, outputArgs });
        this.latest = encoder;
        encoder.output.on('data', (bytes: Buffer) => {
          if (this.latest !== encoder) return;
          this.supervisor.noteOutput(encoder);
          this.fanOut.broadcast(bytes);
        });
        return encoder;
      },
    });
  }

  start(): Promise<void> {
    return this.supervisor.start();
  }

  write(pcm: Buffer): void {
    this.supervisor.write(pcm);
  }

  /** Flushes the encoder's last frames to the listeners, then ends their streams. */
  async stop(): Promise<void> {
    await this.supervisor.stop();
    this.fanOut.endAll();
  }

  health(): OutputHealth {
    return { name: this.name, ...this.supervisor.health(), listeners: this.fanOut.size };
  }

  /** PCM bytes dropped (no encoder running, or it was behind). */
  get droppedBytes(): number {
    return this.supervisor.droppedBytes;
  }

  /** The running encoder's process id, if one runs. */
  get encoderPid(): number | undefined {
    return this.supervisor.encoder?.pid;
  }
}
