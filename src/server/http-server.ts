import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { InputError } from '../errors.js';
import type { StreamFanOut } from '../output/fan-out.js';

export interface SkyServerOptions {
  host: string;
  port: number;
  /** The encoded mix and its content type (e.g. audio/mpeg), served at /stream. */
  stream: { fanOut: StreamFanOut; contentType: string };
  /** JSON for GET /status; must hold no secret (config is never passed whole). */
  status: () => unknown;
  log: Logger;
}

/**
 * skychoir's HTTP face: GET /stream (and /stream.mp3) joins the live mix, GET /status
 * answers what is playing. Read-only: nothing here changes what the daemon does.
 */
/** What a failed listen means, for the errors a user can fix by another host or port. */
const LISTEN_PROBLEMS: Record<string, string> = {
  EADDRINUSE: 'the port is already in use',
  EADDRNOTAVAIL: 'this machine has no such address',
  EACCES: 'not allowed to use this port (below 1024 needs privileges)',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name could not be resolved',
};

export class SkyServer {
  private readonly server: Server;

  constructor(private readonly options: SkyServerOptions) {
    this.server = createServer((request, response) => this.handle(request, response));
  }

  /** Listens; resolves with the bound address (port 0 picks a free one). */
  async start(): Promise<{ host: string; port: number }> {
    const { host, port } = this.options;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', (error: NodeJS.ErrnoException) => {
        const why = LISTEN_PROBLEMS[error.code ?? ''] ?? error.message;
        reject(new InputError(`cannot listen on ${host}:${port} (output.host, output.port): ${why}`));
      });
      this.server.listen(port, host, () => resolve());
    });

    const address = this.server.address() as AddressInfo;
    this.options.log.info({ host: address.address, port: address.port }, 'http server listening');
    return { host: address.address, port: address.port };
  }

  /** Ends every stream listener and stops listening. */
  async close(): Promise<void> {
    this.options.stream.fanOut.endAll();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? '/').split('?')[0];

    if (request.method === 'GET' && (path === '/stream' || path === '/stream.mp3')) {
      response.writeHead(200, {
        'content-type': this.options.stream.contentType,
        'cache-control': 'no-store',
        connection: 'close',
      });
      response.flushHeaders();
      this.options.stream.fanOut.add(response);
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
}
