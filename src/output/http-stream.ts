import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';

export interface StreamServerOptions {
  host: string;
  port: number;
  /** Content type of the stream, e.g. audio/mpeg. */
  contentType: string;
  /** A listener with more than this many bytes queued is too slow and is dropped. */
  maxQueuedBytes?: number;
  /** JSON for GET /status. */
  status: () => unknown;
  log: Logger;
}

/**
 * Serves one encoded stream to any number of HTTP listeners at /stream (fan-out of a
 * single encoder). A listener joins at the next chunk (MP3 frames resynchronise by
 * themselves); a listener that cannot keep up is dropped without touching the others.
 */
export class StreamServer {
  private readonly listeners = new Set<ServerResponse>();
  private readonly server: Server;
  private readonly maxQueuedBytes: number;

  constructor(private readonly options: StreamServerOptions) {
    this.maxQueuedBytes = options.maxQueuedBytes ?? 1_048_576;
    this.server = createServer((request, response) => this.handle(request, response));
  }

  async start(): Promise<{ host: string; port: number }> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    this.options.log.info({ host: address.address, port: address.port }, 'stream listening');
    return { host: address.address, port: address.port };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Sends encoded bytes to every listener. */
  broadcast(bytes: Buffer): void {
    for (const listener of this.listeners) {
      if (listener.writableLength > this.maxQueuedBytes) {
        this.options.log.warn({ queuedBytes: listener.writableLength }, 'listener too slow; dropped');
        this.drop(listener);
        continue;
      }
      listener.write(bytes);
    }
  }

  /** Ends every listener's stream and stops listening. */
  async close(): Promise<void> {
    for (const listener of this.listeners) listener.end();
    this.listeners.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? '/').split('?')[0];

    if (request.method === 'GET' && (path === '/stream' || path === '/stream.mp3')) {
      response.writeHead(200, {
        'content-type': this.options.contentType,
        'cache-control': 'no-store',
        connection: 'close',
      });
      this.listeners.add(response);
      this.options.log.info({ listeners: this.listeners.size }, 'listener joined');
      response.on('close', () => {
        if (this.listeners.delete(response)) this.options.log.info({ listeners: this.listeners.size }, 'listener left');
      });
      return;
    }

    if (request.method === 'GET' && path === '/status') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(this.options.status()));
      return;
    }

    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('not found: try /stream or /status\n');
  }

  private drop(listener: ServerResponse): void {
    this.listeners.delete(listener);
    listener.destroy();
  }
}
