import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StreamFanOut } from '../../src/output/fan-out.js';

export const SAMPLE_RATE = 48_000;

/** Interleaved f32le stereo: `seconds` of a tone at half scale, continuing from sample `from`. */
export function tone(seconds: number, hz = 440, from = 0): Buffer {
  const frames = Math.round(seconds * SAMPLE_RATE);
  const pcm = new Float32Array(frames * 2);
  for (let i = 0; i < frames; i++) {
    pcm[2 * i] = pcm[2 * i + 1] = 0.5 * Math.sin((2 * Math.PI * hz * (from + i)) / SAMPLE_RATE);
  }
  return Buffer.from(pcm.buffer);
}

/** Interleaved f32le stereo white noise (seeded), which encoders cannot squeeze: the most bytes per second. */
export function noise(seconds: number, seed = 1): Buffer {
  const pcm = new Float32Array(Math.round(seconds * SAMPLE_RATE) * 2);
  let state = seed;
  for (let i = 0; i < pcm.length; i++) {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    pcm[i] = (state / 2 ** 32 - 0.5) * 0.8;
  }
  return Buffer.from(pcm.buffer);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A loopback HTTP server that adds each request's response to `fanOut` (as the daemon's server does). */
export async function serveFanOut(fanOut: StreamFanOut, contentType: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': contentType, connection: 'close' });
    response.flushHeaders();
    fanOut.add(response);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  const close = async (): Promise<void> => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return { url: `http://127.0.0.1:${port}/`, close };
}

/** An HTTP client that keeps every byte it gets (or, `reading: false`, never reads after the headers). */
export interface Listener {
  response: IncomingMessage;
  bytes(): Buffer;
  ended: Promise<void>;
  close(): void;
}

export async function listen(url: string, reading = true): Promise<Listener> {
  const request = get(url);
  const [response] = (await once(request, 'response')) as [IncomingMessage];
  const chunks: Buffer[] = [];
  if (reading) response.on('data', (chunk: Buffer) => chunks.push(chunk));
  else response.pause();

  const ended = new Promise<void>((resolve) => {
    response.on('end', resolve);
    response.on('close', resolve);
    response.on('error', () => resolve());
    request.on('close', resolve);
  });
  return { response, bytes: () => Buffer.concat(chunks), ended, close: () => request.destroy() };
}

/** What ffmpeg makes of some encoded bytes: its error output and the seconds of audio decoded. */
export async function decode(bytes: Buffer): Promise<{ errors: string; seconds: number }> {
  const ffmpeg = spawn('ffmpeg', ['-v', 'error', '-i', 'pipe:0', '-f', 's16le', '-ac', '2', '-ar', String(SAMPLE_RATE), 'pipe:1']);
  let errors = '';
  let decodedBytes = 0;
  ffmpeg.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  ffmpeg.stdout.on('data', (chunk: Buffer) => (decodedBytes += chunk.length));
  ffmpeg.stdin.on('error', () => {});
  ffmpeg.stdin.end(bytes);
  await once(ffmpeg, 'close');
  return { errors: errors.trim(), seconds: decodedBytes / (SAMPLE_RATE * 4) };
}
