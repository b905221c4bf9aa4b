import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { z } from 'zod';
import { BodyProblem, readBody, sendJson, sendText } from './respond.js';

/** What a client holding the token may change while the daemon runs. */
export interface ServerControl {
  /** The bearer token (server.token). Empty means control is off. Never logged. */
  token: string;
  /** Sets the master gain in dB (-60..6, already validated); the app ramps to it. */
  setMasterGainDb(db: number): void;
}

/** The body of POST /control/gain: the master gain in dB, -60 (near silence) to +6. */
export const gainRequestSchema = z.object({ db: z.number().min(-60).max(6) }).strict();

/** Control bodies are a few bytes; anything larger is refused unread. */
const MAX_BODY_BYTES = 1024;

const CONTROL_OFF = 'control is off (set server.token)';

/**
 * Whether the request carries `Authorization: Bearer <token>`. Both sides are hashed first so
 * that timingSafeEqual compares equal-length buffers and the time taken tells nothing about
 * the token, not even its length.
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
  if (given === undefined || token === '') return false;

  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(token));
}

/**
 * POST /control/gain: 404 when no token is configured, 401 without the right bearer token,
 * 400 naming what is wrong with the body, else 200 with the gain set.
 */
export async function handleGain(
  request: IncomingMessage,
  response: ServerResponse,
  control: ServerControl | undefined,
  log: Logger,
): Promise<void> {
  if (!control || control.token === '') {
    sendText(response, 404, CONTROL_OFF);
    return;
  }
  if (!bearerMatches(request.headers.authorization, control.token)) {
    log.warn({ remote: request.socket.remoteAddress }, 'control refused: missing or wrong bearer token');
    sendText(response, 401, 'unauthorised: send Authorization: Bearer <server.token>', { 'www-authenticate': 'Bearer' });
    return;
  }

  const parsed = await parseGainBody(request);
  if ('problem' in parsed) {
    sendText(response, parsed.status, `bad body for /control/gain: ${parsed.problem}`);
    return;
  }

  control.setMasterGainDb(parsed.db);
  log.info({ db: parsed.db }, 'master gain set');
  sendJson(response, 200, { masterGainDb: parsed.db });
}

const EXAMPLE = 'send {"db": -6} (a number of dB, -60..6)';

/** The validated body, or the answer's status and what was wrong, in words for the client. */
async function parseGainBody(request: IncomingMessage): Promise<{ db: number } | { status: number; problem: string }> {
  let text: string;
  try {
    text = await readBody(request, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyProblem) return { status: error.status, problem: error.message };
    throw error;
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { status: 400, problem: `not JSON; ${EXAMPLE}` };
  }

  const result = gainRequestSchema.safeParse(json);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
  return { status: 400, problem: `${problems.join('; ')}; ${EXAMPLE}` };
}
