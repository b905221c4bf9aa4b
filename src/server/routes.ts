import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { handleGain } from './control.js';
import { DASHBOARD_ASSETS } from './dashboard-assets.js';
import { publicStatus } from './public-status.js';
import { sendBody, sendJson, sendText } from './respond.js';
import type { SkyServerOptions } from './http-server.js';

export type Handler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

/** Every path the server answers, with a handler per method it takes. */
export type RouteTable = Map<string, Partial<Record<'GET' | 'POST', Handler>>>;

/**
 * The routes the options ask for: the streams, /status, and /frame.png, /metrics, the
 * dashboard and /control/gain when given. /control/gain is always there so that a client
 * learns why control is off (404 with the setting to set) rather than a bare not-found.
 */
export function buildRoutes(options: SkyServerOptions, log: Logger): RouteTable {
  const routes: RouteTable = new Map();

  for (const stream of options.streams) {
    routes.set(stream.path, {
      GET: (_request, response) => {
        response.writeHead(200, { 'content-type': stream.contentType, 'cache-control': 'no-store', connection: 'close' });
        response.flushHeaders();
        stream.fanOut.add(response);
      },
    });
  }

  routes.set('/status', { GET: (_request, response) => sendJson(response, 200, publicStatus(options.status())) });

  const framePng = options.framePng;
  if (framePng) {
    routes.set('/frame.png', {
      GET: (_request, response) => {
        const png = framePng();
        if (!png) sendText(response, 404, 'no frame yet: the camera has not given one to analyse', { 'cache-control': 'no-store' });
        else sendBody(response, 200, 'image/png', png, { 'cache-control': 'no-store' });
      },
    });
  }

  const metrics = options.metrics;
  if (metrics) {
    routes.set('/metrics', {
      GET: async (_request, response) => {
        const { contentType, body } = await metrics();
        sendBody(response, 200, contentType, body, { 'cache-control': 'no-store' });
      },
    });
  }

  if (options.dashboard) {
    for (const asset of DASHBOARD_ASSETS) {
      routes.set(asset.path, { GET: (_request, response) => sendBody(response, 200, asset.contentType, asset.body, asset.headers) });
    }
  }

  routes.set('/control/gain', { POST: (request, response) => handleGain(request, response, options.control, log) });
  return routes;
}
