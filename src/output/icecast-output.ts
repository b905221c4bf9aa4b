import type { Logger } from 'pino';
import { RestartBackoff } from '../camera/backoff.js';
import { maskUrlPassword, rememberSecret, urlPassword } from '../config/redact.js';
import { InputError } from '../errors.js';
import type { Clock } from '../time/clock.js';
import type { AudioOutput, OutputHealth } from './audio-output.js';
import { EncoderSupervisor } from './encoder-supervisor.js';
import { LiveEncoder } from './live-encoder.js';

export type IcecastFormat = 'mp3' | 'ogg';

export interface IcecastOptions {
  /** icecast://source:PASSWORD@host:port/mount (the setting output.icecastUrl). */
  url: string;
  format: IcecastFormat;
  ffmpegPath: string;
  /** Hz of the PCM written. */
  sampleRate: number;
  /** MP3 bitrate; Vorbis uses quality 4 (about 128 kbit/s). */
  mp3BitrateKbps?: number;
  clock: Clock;
  log: Logger;
  /** Between reconnects; by default 1 s floor, 60 s ceiling, with jitter. */
  backoff?: RestartBackoff;
  /** A connection fed for this long without progress is restarted (ms); 15 s by default. */
  stallAfterMs?: number;
}

const CODECS: Record<IcecastFormat, (kbps: number) => string[]> = {
  mp3: (kbps) => ['-c:a', 'libmp3lame', '-b:a', `${kbps}k`, '-content_type', 'audio/mpeg', '-f', 'mp3'],
  ogg: () => ['-c:a', 'libvorbis', '-q:a', '4', '-content_type', 'audio/ogg', '-f', 'ogg'],
};

/**
 * Pushes the mix to an Icecast server as a source: ffmpeg encodes the PCM and sends it to
 * the mount. When ffmpeg exits (Icecast down, mount taken, wrong password, connection cut)
 * the output is 'reconnecting' and ffmpeg is started again with backoff; PCM written
 * meanwhile is dropped and counted, never queued. It is 'running' once ffmpeg reports
 * progress, which it does only after Icecast accepted the source.
 *
 * The password never reaches logs, health or errors: ffmpeg's stderr is scrubbed as it
 * arrives and the URL is shown masked. Known shortcoming: it is on ffmpeg's command line,
 * so other users of this machine can read it in the process list (ffmpeg has no other way
 * to take it).
 */
export class IcecastOutput implements AudioOutput {
  readonly name = 'icecast';
  private readonly supervisor: EncoderSupervisor;

  constructor(options: IcecastOptions) {
    checkIcecastUrl(options.url);
    rememberSecret(urlPassword(options.url));
    const log = options.log.child({ component: 'icecast' });

    const outputArgs = [
      '-progress', 'pipe:1', '-stats_period', '1',
      ...CODECS[options.format](options.mp3BitrateKbps ?? 128),
      '-ice_name', 'skychoir',
      options.url,
    ];
    this.supervisor = new EncoderSupervisor({
      name: this.name,
      clock: options.clock,
      log,
      backoff: options.backoff ?? new RestartBackoff(1_000, 60_000),
      runningWhen: 'output',
      stallAfterMs: options.stallAfterMs ?? 15_000,
      ffmpegPath: options.ffmpegPath,
      launch: () => {
        const encoder = new LiveEncoder({ ...options, outputArgs, secretUrl: options.url });
        encoder.output.on('data', () => this.supervisor.noteOutput(encoder));
        return encoder;
      },
    });
    log.info({ url: maskUrlPassword(options.url), format: options.format }, 'icecast output configured');
  }

  /** Resolves at once, connected or not: a server that is down is retried in the background. */
  start(): Promise<void> {
    return this.supervisor.start();
  }

  write(pcm: Buffer): void {
    this.supervisor.write(pcm);
  }

  stop(): Promise<void> {
    return this.supervisor.stop();
  }

  health(): OutputHealth {
    return { name: this.name, ...this.supervisor.health() };
  }

  /** PCM bytes dropped while not connected (or while ffmpeg was behind). */
  get droppedBytes(): number {
    return this.supervisor.droppedBytes;
  }
}

/** Throws an InputError (URL masked) unless `url` is icecast://user:password@host:port/mount. */
export function checkIcecastUrl(url: string): void {
  const problem = (what: string): InputError =>
    new InputError(`output.icecastUrl "${maskUrlPassword(url)}": ${what}; expected icecast://source:PASSWORD@host:8000/mount`);

  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw problem('not a URL');
  }
  if (parsed.protocol !== 'icecast:') throw problem(`the scheme is "${parsed.protocol.replace(/:$/, '')}", not icecast`);
  if (!parsed.hostname) throw problem('no host');
  if (!parsed.password) throw problem('no source password');
  if (parsed.pathname.length < 2) throw problem('no mount (such as /sky.mp3)');
}
