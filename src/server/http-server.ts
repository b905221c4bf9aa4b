import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { scrubSecrets } from '../config/redact.js';
import { InputError } from '../errors.js';
import type { ServerControl } from './control.js';
import { buildRoutes, type RouteTable } from './routes.js';
import { sendText } from './respond.js';
import type { DaemonStatus } from './status.js';

/** Where an encoded mix is copied to its listeners (see output/fan-out.ts). */
export interface ListenerFanOut {
  add(listener: Writable): void;
  readonly size: number;
  /** Ends every listener's stream gracefully; called on close when the fan-out has it. */
  endAll?(): void;
}

export interface SkyServerOptions {
  host: string;
  port: number;
  /** Encoded mixes, e.g. /stream and /stream.mp3 (audio/mpeg), /stream.opus (audio/ogg). */
  streams: Array<{ path: string; contentType: string; fanOut: ListenerFanOut }>;
  /** The document for GET /status, built per request. Strings in it are scrubbed of secrets again before leaving. */
  status: () => DaemonStatus | unknown;
  /** The latest analysed frame drawn with its detections, for GET /frame.png; null before the first. */
  framePng?: () => Buffer | null;
  /** Prometheus text for GET /metrics. */
  metrics?: () => Promise<{ contentType: string; body: string }>;
  /** Serves the dashboard page and its assets at GET /. */
  dashboard: boolean;
  /** POST /control/gain with a bearer token; absent or with an empty token, control is off. */
  control?: ServerControl;
  log: Logger;
}

/** What a failed listen means, for the errors a user can fix by another host or port. */
const LISTEN_PROBLEMS: Record<string, string> = {
  EADDRINUSE: 'the port is already in use',
  EADDRNOTAVAIL: 'this machine has no such address',
  EACCES: 'not allowed to use this port (below 1024 needs privileges)',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name could not be resolved',
};

/**
 * skychoir's HTTP face: the streams, /status, /frame.png, /metrics, the dashboard at / and
 * POST /control/gain (only with the bearer token). Other methods on these paths get 405;
 * other paths 404 with the list of those served.
 */
export class SkyServer {
  private readonly server: Server;
  private readonly routes: RouteTable;

  constructor(private readonly options: SkyServerOptions) {
    this.routes = buildRoutes(options, options.log);
    this.server = createServer((request, response) => void this.handle(request, response));
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
    this.options.log.info({ host: address.address, port: address.port, paths: [...this.routes.keys()] }, 'http server listening');
    return { host: address.address, port: address.port };
  }

  /** Ends every stream listener and stops listening. */
  async close(): Promise<void> {
    for (const fanOut of new Set(this.options.streams.map((stream) => stream.fanOut))) fanOut.endAll?.();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const route = this.routes.get(path);
    if (!route) {
      sendText(response, 404, `not found: ${path.slice(0, 200)}; served here: ${[...this.routes.keys()].join(' ')}`);
      return;
    }

    const handler = route[request.method as 'GET' | 'POST'];
    if (!handler) {
      const allowed = Object.keys(route).join(', ');
      sendText(response, 405, `${request.method} is not served at ${path}; use ${allowed}`, { allow: allowed });
      return;
    }

    try {
      await handler(request, response);
    } catch (error) {
      const message = scrubSecrets(error instanceof Error ? error.message : String(error));
      this.options.log.warn({ path, err: message }, 'request failed');
      if (!response.headersSent) sendText(response, 500, `${path} failed: ${message}`);
      else response.destroy();
    }
  }
}
