import type { IncomingMessage, ServerResponse } from 'node:http';

/** Headers every answer carries: nothing is sniffed, nothing leaks through the referrer. */
const COMMON_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };

/** Answers with plain text (a line ending is added when missing). */
export function sendText(response: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { ...COMMON_HEADERS, 'content-type': 'text/plain; charset=utf-8', ...headers });
  response.end(text.endsWith('\n') ? text : `${text}\n`);
}

/** Answers with a JSON document; never cached (it describes the daemon now). */
export function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { ...COMMON_HEADERS, 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(value));
}

/** Answers with bytes or text of the given type. */
export function sendBody(response: ServerResponse, status: number, contentType: string, body: Buffer | string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { ...COMMON_HEADERS, 'content-type': contentType, ...headers });
  response.end(body);
}

/** A request body that was too large or broke off; the message says which, for the client. */
export class BodyProblem extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * Reads a request body as UTF-8 text, at most `maxBytes` (a larger one is refused with 413
 * without reading the rest: control bodies are a few bytes).
 */
export async function readBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw new BodyProblem(413, `the body is ${declared} bytes; at most ${maxBytes} are taken`);

  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of request as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > maxBytes) throw new BodyProblem(413, `the body is over ${maxBytes} bytes`);
    parts.push(part);
  }
  return Buffer.concat(parts).toString('utf8');
}
