import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_DIR, SHARED_DIR } from './paths.js';

const run = promisify(execFile);

/** The first `count` CCSN photographs of a genus (224x224 JPEGs), read in place. */
export function ccsnPhotos(genus: string, count: number): string[] {
  const dir = join(SHARED_DIR, 'data/ccsn', genus);
  return readdirSync(dir).filter((name) => name.endsWith('.jpg')).sort().slice(0, count).map((name) => join(dir, name));
}

/**
 * Writes an MJPEG AVI of the photographs at `fps` into `dir` (a temp dir) and returns its path.
 * Standard Huffman tables (`-huffman default`): RTP/JPEG cannot carry optimised ones.
 */
export async function makePhotoVideo(dir: string, photos: string[], fps: number): Promise<string> {
  const list = join(dir, 'photos.txt');
  writeFileSync(list, photos.map((photo) => `file '${photo}'`).join('\n'));
  const video = join(dir, 'photos.avi');
  await run('ffmpeg', ['-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-r', String(fps), '-i', list,
    '-c:v', 'mjpeg', '-huffman', 'default', '-q:v', '3', '-pix_fmt', 'yuvj420p', '-f', 'avi', video]);
  return video;
}

/** A free loopback TCP port (listened on and closed again, so connecting to it is refused). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** What the MJPEG server does with each connection, switchable while it runs. */
export type MjpegMode = 'stream' | 'silent' | 'reset';

/**
 * A multipart/x-mixed-replace JPEG server on loopback, like an IP camera's MJPEG endpoint.
 * 'stream': parts every 1/fps s, cycling through `jpegs` (`stopAfter`: that many parts, then
 * silence on an open socket). 'silent': headers only, then nothing. 'reset': every socket
 * is destroyed. `listen()`/`close()` make connections be accepted or refused.
 */
export class MjpegServer {
  mode: MjpegMode = 'stream';
  connections = 0;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private server: Server | null = null;

  constructor(private readonly jpegs: Buffer[], private readonly fps: number, private readonly stopAfter = Infinity) {}

  async listen(port = 0): Promise<number> {
    const server = createServer((request, response) => this.answer(response));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      if (this.mode === 'reset') socket.destroy();
    });
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
    return (server.address() as AddressInfo).port;
  }

  /** Destroys every open connection (a reset), keeping the server as it is. */
  dropConnections(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.dropConnections();
    const server = this.server;
    this.server = null;
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  private answer(response: ServerResponse): void {
    this.connections += 1;
    response.writeHead(200, { 'Content-Type': 'multipart/x-mixed-replace; boundary=skyframe', Connection: 'close' });
    response.flushHeaders();
    if (this.mode !== 'stream') return;

    let sent = 0;
    const sendPart = (): void => {
      if (this.mode !== 'stream' || sent >= this.stopAfter) return;
      const jpeg = this.jpegs[sent % this.jpegs.length] as Buffer;
      response.write(`--skyframe\r\nContent-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\n\r\n`);
      response.write(jpeg);
      response.write('\r\n');
      sent += 1;
    };
    sendPart();
    const timer = setInterval(sendPart, 1000 / this.fps);
    this.timers.add(timer);
    response.on('close', () => {
      clearInterval(timer);
      this.timers.delete(timer);
    });
  }
}

/**
 * Debian's gst-rtsp-server serving `video` (an MJPEG AVI) at rtsp://127.0.0.1:PORT/sky, through
 * /usr/bin/python3 (python3-gi, gir1.2-gst-rtsp-server-1.0, gstreamer1.0-plugins-good).
 */
export async function startRtspServer(video: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn('/usr/bin/python3', [join(REPO_DIR, 'test/support/rtsp-server.py'),
    String(port), '/sky', video], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    child.once('close', (code) => reject(new Error(`RTSP server exited (${code}): ${stderr}`)));
  });
  await ready;

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'close');
  };
  return { url: `rtsp://127.0.0.1:${port}/sky`, stop };
}

/** Waits (real time) until `condition` holds, checking every 20 ms; fails after `limitMs`. */
export async function waitUntil(what: string, condition: () => boolean, limitMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > limitMs) throw new Error(`gave up waiting for ${what} after ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** True while a process with this pid exists. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
