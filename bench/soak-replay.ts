/**
 * A recorded day played paced through the real session, MP3 encoder, fan-out and HTTP
 * server, as `skychoir replay` plays it, with the session kept in hand so that the soak can
 * read the composer while it plays.
 *
 * Caveat: this is the loop of src/app/replay.ts (replayDay) written again, because replayDay
 * keeps its session to itself. A hook there (an `onSession(session)` option) would let the
 * soak run replayDay itself and drop this copy.
 */
import type { Logger } from 'pino';
import { DaySession } from '../src/app/session.js';
import type { SkyConfig } from '../src/config/schema.js';
import { Encoder } from '../src/output/encoder.js';
import { StreamFanOut } from '../src/output/fan-out.js';
import { interleaveF32 } from '../src/output/pcm.js';
import { SkyServer } from '../src/server/http-server.js';
import { Pacer } from '../src/time/pacer.js';

export interface PacedReplay {
  session: DaySession;
  fanOut: StreamFanOut;
  /** The stream's address, once listening. */
  base: string;
  /** Wall-clock instants (performance.now() ms) at which each chunk was handed to the encoder. */
  writes: number[];
  /** Resolves when the day is over and the encoder has finished. */
  done: Promise<void>;
}

/** Opens the day and starts playing it at `speed`, `chunkS` audio seconds a chunk, `leadS` ahead. */
export async function startPacedReplay(options: {
  config: SkyConfig;
  dayDir: string;
  speed: number;
  chunkS: number;
  leadS: number;
  log: Logger;
}): Promise<PacedReplay> {
  const config = { ...options.config, audio: { ...options.config.audio, chunkS: options.chunkS } };
  const session = await DaySession.open({ config, dayDir: options.dayDir, speed: options.speed, log: options.log });
  const fanOut = new StreamFanOut(options.log.child({ component: 'stream' }));
  const server = new SkyServer({
    host: '127.0.0.1',
    port: 0,
    streams: [{ path: '/stream', contentType: 'audio/mpeg', fanOut }],
    dashboard: false,
    log: options.log.child({ component: 'server' }),
    status: () => ({ listeners: fanOut.size }),
  });
  const address = await server.start();

  const encoder = new Encoder({ ffmpegPath: config.output.ffmpegPath, format: 'mp3', sampleRate: config.audio.sampleRate, target: '-' });
  encoder.output.on('data', (bytes: Buffer) => fanOut.broadcast(bytes));
  const writes: number[] = [];

  const play = async (): Promise<void> => {
    try {
      const pacer = new Pacer({ leadMs: options.leadS * 1000 });
      while (!session.finished) {
        await pacer.waitFor((session.renderedFrames / config.audio.sampleRate) * 1000);
        const chunk = await session.nextChunk();
        if (!chunk) break;
        await encoder.write(interleaveF32(chunk.left, chunk.right));
        writes.push(performance.now());
      }
      await encoder.finish();
    } finally {
      encoder.kill();
      fanOut.endAll();
      await session.close();
      await server.close();
    }
  };

  return { session, fanOut, base: `http://127.0.0.1:${address.port}`, writes, done: play() };
}
