import type { Logger } from 'pino';
import type { SkyConfig } from '../config/schema.js';
import { Encoder } from '../output/encoder.js';
import { StreamFanOut } from '../output/fan-out.js';
import { interleaveF32 } from '../output/pcm.js';
import { Pacer } from '../time/pacer.js';
import { SkyServer } from '../server/http-server.js';
import { keyFrom } from './live-status.js';
import { DaySession } from './session.js';

/**
 * The longest chunk a live replay renders, in audio seconds: a listener waits about this long
 * for the first sound, and the stream runs this far ahead of real time. Offline renders use
 * the configured (longer) chunk, which costs less per second of audio.
 */
const LIVE_CHUNK_S = 2;

export interface ReplayOptions {
  config: SkyConfig;
  dayDir: string;
  speed: number;
  log: Logger;
  /** Audio seconds rendered ahead of the listeners; more survives hiccups, less reacts sooner. */
  leadS?: number;
  /** Called once the stream is listening, with its address. */
  onListening?: (address: { host: string; port: number }) => void;
  signal?: AbortSignal;
}

/**
 * Plays a recorded day live on its virtual clock, at `speed`, as an MP3 stream over HTTP,
 * until the day ends (or the signal aborts). The mix is rendered chunk by chunk by the same
 * code as an offline render and paced against a monotonic clock.
 */
export async function replayDay(options: ReplayOptions): Promise<void> {
  const { log } = options;
  const config = { ...options.config, audio: { ...options.config.audio, chunkS: Math.min(options.config.audio.chunkS, LIVE_CHUNK_S) } };
  const session = await DaySession.open({ config, dayDir: options.dayDir, speed: options.speed, log });
  const sampleRate = config.audio.sampleRate;
  const leadMs = (options.leadS ?? Math.max(LIVE_CHUNK_S, config.audio.chunkS)) * 1000;

  const fanOut = new StreamFanOut(log.child({ component: 'stream' }));
  const server = new SkyServer({
    host: config.output.host,
    port: config.output.port,
    streams: [
      { path: '/stream', contentType: 'audio/mpeg', fanOut },
      { path: '/stream.mp3', contentType: 'audio/mpeg', fanOut },
    ],
    dashboard: config.server.dashboard,
    log: log.child({ component: 'server' }),
    status: (): unknown => ({
      day: options.dayDir,
      speed: options.speed,
      skyTime: new Date(session.clock.now()).toISOString(),
      audioSeconds: session.renderedFrames / sampleRate,
      listeners: fanOut.size,
      playing: session.composer.playingAt(Math.max(0, session.renderedFrames - 1)),
      key: keyFrom(session.composer.harmony.moves, Math.max(0, session.renderedFrames - 1)),
    }),
  });

  let encoder: Encoder | null = null;
  try {
    const address = await server.start();
    encoder = new Encoder({
      ffmpegPath: config.output.ffmpegPath,
      format: 'mp3',
      sampleRate,
      target: '-',
      bitrateKbps: config.output.mp3BitrateKbps,
    });
    encoder.output.on('data', (bytes: Buffer) => fanOut.broadcast(bytes));
    options.onListening?.(address);
    log.info({ ...address, day: options.dayDir, speed: options.speed }, 'replay started');

    const pacer = new Pacer({ leadMs });
    while (!session.finished) {
      await pacer.waitFor((session.renderedFrames / sampleRate) * 1000, options.signal);
      if (options.signal?.aborted) break;

      const chunk = await session.nextChunk();
      if (chunk) await encoder.write(interleaveF32(chunk.left, chunk.right));
    }

    const audioSeconds = session.renderedFrames / sampleRate;
    if (options.signal?.aborted) {
      log.info({ audioSeconds, skyTime: new Date(session.clock.now()).toISOString() }, 'replay stopped before the day ended');
    } else {
      await encoder.finish();
      log.info({ audioSeconds }, 'replay finished: the day is over');
    }
  } finally {
    encoder?.kill();
    await session.close();
    await server.close();
  }
}
