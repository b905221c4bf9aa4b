/**
 * A listener on a daemon's MP3 stream that decodes what it receives as it arrives (an
 * ffmpeg child, to mono 32-bit float PCM) and keeps the wall-clock arrival of every piece,
 * so that a sample of the decoded audio can be traced back to when its bytes came.
 *
 * Caveat: the stream has no LAME header, so the decoded PCM starts with the codec's delay
 * (LAME's 576-sample encoder delay plus the decoder's 529): {@link MP3_CODEC_DELAY_SAMPLES}
 * is to be subtracted from a decoded sample index to find the sample that was encoded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { get, type ClientRequest } from 'node:http';

export const MP3_CODEC_DELAY_SAMPLES = 576 + 529;

export class Mp3Listener {
  /** Wall-clock instant (epoch ms) of the first byte, null before. */
  firstByteAt: number | null = null;
  /** Each piece received: its arrival (epoch ms) and the bytes received up to and with it. */
  readonly pieces: Array<{ atMs: number; totalBytes: number }> = [];
  private receivedBytes = 0;
  private readonly pcm: Buffer[] = [];
  private request: ClientRequest | null = null;
  private stopped = false;
  private stopping: Promise<Float32Array> | null = null;
  private readonly decoder: ChildProcess;

  /** Connects to `url`, trying again every 20 ms while it is refused (the daemon not listening yet). */
  constructor(private readonly url: string, readonly sampleRate: number, ffmpegPath = 'ffmpeg') {
    this.decoder = spawn(ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-f', 'mp3', '-i', 'pipe:0',
      '-ac', '1', '-ar', String(sampleRate), '-f', 'f32le', 'pipe:1'], { stdio: ['pipe', 'pipe', 'ignore'] });
    this.decoder.stdout!.on('data', (chunk: Buffer) => this.pcm.push(chunk));
    this.decoder.stdin!.on('error', () => {});

    this.connect();
  }

  private connect(): void {
    if (this.stopped) return;
    this.request = get(this.url, (response) => {
      response.on('data', (chunk: Buffer) => {
        const atMs = Date.now();
        this.firstByteAt ??= atMs;
        this.receivedBytes += chunk.length;
        this.pieces.push({ atMs, totalBytes: this.receivedBytes });
        this.decoder.stdin!.write(chunk);
      });
    });
    this.request.on('error', () => {
      if (this.firstByteAt === null) setTimeout(() => this.connect(), 20);
    });
  }

  /** When the byte at `offset` of the stream arrived (epoch ms), null if it has not. */
  arrivalOf(offset: number): number | null {
    return this.pieces.find((piece) => piece.totalBytes > offset)?.atMs ?? null;
  }

  /** Hangs up, lets the decoder finish what it has, and returns the decoded mono samples (the same on every call). */
  stop(): Promise<Float32Array> {
    this.stopping ??= this.hangUp();
    return this.stopping;
  }

  private async hangUp(): Promise<Float32Array> {
    this.stopped = true;
    this.request?.destroy();
    const closed = once(this.decoder, 'close');
    this.decoder.stdin!.end();
    await closed;
    const bytes = Buffer.concat(this.pcm);
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + (bytes.length - (bytes.length % 4))));
  }
}
