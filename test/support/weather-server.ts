import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { SHARED_DIR } from './paths.js';

/**
 * The real Bruges Open-Meteo reply (2023-07-29, hourly, UTC+2) moved to the local day that
 * holds `now`, so that a live daemon finds an observation for the current hour. Only the dates
 * change; every value is as recorded.
 */
export function brugesReplyForToday(now = Date.now()): string {
  const text = readFileSync(join(SHARED_DIR, 'weather/open-meteo/archive-bruges-2023-07-29-hourly.json'), 'utf8');
  const offsetS = (JSON.parse(text) as { utc_offset_seconds: number }).utc_offset_seconds;
  const today = new Date(now + offsetS * 1000).toISOString().slice(0, 10);
  return text.replaceAll('2023-07-29', today);
}

/**
 * An Open-Meteo stand-in on loopback answering every request with `body()`; `close()` and
 * `listen(port)` take it down and bring it back on the same port, as an outage would.
 */
export class WeatherServer {
  requests = 0;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly body: () => string = () => brugesReplyForToday()) {}

  async listen(port = 0): Promise<number> {
    const server = createServer((_request, response) => {
      this.requests += 1;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(this.body());
    });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
    return (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}
