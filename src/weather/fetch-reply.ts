/**
 * One HTTP GET to a weather provider, and what came of it: a reply with its body exactly as
 * sent, or a {@link WeatherFailureKind} with a reason. Never throws, whatever the network or
 * the provider does.
 *
 * The URL may hold an API key (`appid=`): every reason is passed through scrubSecrets, and the
 * axios error (whose config holds the URL) is never handed on, only words taken from it.
 */
import axios, { type AxiosInstance } from 'axios';
import { scrubSecrets } from '../config/redact.js';
import type { Clock } from '../time/clock.js';
import { failureKindOfStatus, type WeatherFailureKind } from './failure.js';
import type { RawWeatherReply } from './weather-stage.js';

/** A reply as it came: {@link RawWeatherReply} with its status and content type known. */
export interface FetchedReply extends RawWeatherReply {
  status: number;
  /** The Content-Type header as sent; '' when there was none. */
  contentType: string;
}

/** Why a poll gave nothing usable. */
export interface WeatherFailure {
  provider: string;
  kind: WeatherFailureKind;
  /** In words, secrets scrubbed: the status or transport error and a preview of the body. */
  reason: string;
  /** The reply, where one came (an error status, a body that is not JSON); kept for a recorder. */
  reply?: FetchedReply;
}

export type FetchOutcome = { ok: true; reply: FetchedReply } | { ok: false; failure: WeatherFailure };

export interface FetchReplyOptions {
  provider: string;
  url: string;
  /** Gives `receivedAt`. */
  clock: Clock;
  /** Limit on the whole exchange; default 15 s. */
  timeoutMs?: number;
  /** Stops the request (a poller being stopped); the outcome is then a `network` failure. */
  signal?: AbortSignal;
  /** Default: axios itself. Tests and proxies may pass their own instance. */
  http?: AxiosInstance;
}

const DEFAULT_TIMEOUT_MS = 15_000;
/** A weather reply is tens of kilobytes; anything past this is not one. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;
const PREVIEW_CHARS = 120;

/** Fetches `url` once. Resolves with the reply or a classified failure; never rejects. */
export async function fetchWeatherReply(options: FetchReplyOptions): Promise<FetchOutcome> {
  const { provider, url, clock, signal } = options;
  const http = options.http ?? axios;

  let status: number;
  let contentType: string;
  let body: string;
  try {
    const response = await http.get<string>(url, {
      responseType: 'text',
      responseEncoding: 'utf8',
      // The body is kept as sent: no JSON parsing by axios, whatever the content type says.
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxContentLength: MAX_BODY_BYTES,
      headers: { Accept: 'application/json' },
      ...(signal ? { signal } : {}),
    });
    status = response.status;
    contentType = headerText(response.headers['content-type']);
    body = typeof response.data === 'string' ? response.data : String(response.data ?? '');
  } catch (error) {
    const reason = scrubSecrets(`${provider}: no answer: ${describeTransportError(error)}`);
    return { ok: false, failure: { provider, kind: 'network', reason } };
  }

  const reply: FetchedReply = { provider, receivedAt: clock.now(), body, status, contentType };
  const kind = classifyReply(status, body);
  if (kind === null) return { ok: true, reply };

  const reason = scrubSecrets(`${provider}: HTTP ${status} (${contentType || 'no content type'}): ` +
    `${previewBody(body, contentType)}`);
  return { ok: false, failure: { provider, kind, reason, reply } };
}

/**
 * What a status and body mean, or null for a usable reply (2xx with a JSON body; whether the
 * JSON fits the provider's shape is the parser's question, not this one's).
 *
 * 401 and 403 are told apart by the body's message, the only place providers say why:
 * a message naming a subscription or plan ("using One Call 3.0 requires a separate
 * subscription", "not available in your plan") is `plan-lacks-endpoint`; one saying the key
 * is not activated yet is `key-not-active`; anything else is `invalid-key` for 401 and
 * `plan-lacks-endpoint` for 403 (a key that works but may not use this endpoint).
 * OpenWeatherMap answers a new, not yet active key with the same "Invalid API key" message as
 * a wrong one, so that case reads `invalid-key`; the poller keeps trying slowly, which covers
 * both (activation takes up to two hours).
 */
export function classifyReply(status: number, body: string): WeatherFailureKind | null {
  return failureKindOfStatus(status, body) ?? (isJson(body) ? null : 'not-json');
}

function isJson(body: string): boolean {
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}

/** The transport error in words: its code and message, never its config (which has the URL). */
export function describeTransportError(error: unknown): string {
  if (axios.isCancel(error)) return 'request cancelled';
  if (axios.isAxiosError(error)) {
    const code = error.code ?? 'network error';
    return error.message && error.message !== code ? `${code}: ${error.message}` : code;
  }
  return error instanceof Error ? error.message : String(error);
}

/** A one-line preview of a body: tags dropped from HTML, whitespace collapsed, cut short. */
export function previewBody(body: string, contentType = ''): string {
  if (body.trim() === '') return 'empty body';

  const html = contentType.includes('html') || /^\s*<(!doctype|html)/i.test(body);
  const text = (html ? body.replace(/<[^>]*>/g, ' ') : body).replace(/\s+/g, ' ').trim();
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}...` : text;
}

function headerText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.join(', ');
  return '';
}
