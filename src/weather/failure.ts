/**
 * Why a weather provider gave no usable observation, in the terms an operator acts on.
 * The poller (HTTP status, transport) and the reply parsers (the body) both speak these, so
 * the log says the same thing whichever layer found the fault.
 *
 * - `invalid-key`: 401 for a key the provider does not know.
 * - `key-not-active`: 401 for a key too new to be active (OpenWeatherMap: up to two hours).
 * - `plan-lacks-endpoint`: 401 or 403 for an endpoint the account's plan does not include
 *   (One Call 3.0 needs its own subscription).
 * - `rate-limited`: 429, the account is over its budget; back off, never retry at once.
 * - `not-found`: 404, a wrong URL or place.
 * - `bad-request`: another 4xx, such as a date out of range.
 * - `server-down`: 5xx, or the provider's maintenance page.
 * - `network`: no answer: refused, reset, timed out, DNS.
 * - `not-json`: a body that is not JSON (an HTML page, `404 Not Found` as text).
 * - `malformed`: JSON that does not fit the provider's shape, or values out of plausible range.
 */
export type WeatherFailureKind =
  | 'invalid-key'
  | 'key-not-active'
  | 'plan-lacks-endpoint'
  | 'rate-limited'
  | 'not-found'
  | 'bad-request'
  | 'server-down'
  | 'network'
  | 'not-json'
  | 'malformed';

/** Kinds worth retrying soon (with backoff): the fault is on the way or at the provider. */
export const TRANSIENT_FAILURES: ReadonlySet<WeatherFailureKind> = new Set(['server-down', 'network']);

/**
 * The kind of failure an HTTP status means, with the provider's message (or whole body) to
 * tell 401s and 403s apart; null for a success status. OpenWeatherMap sends the same text for
 * a wrong key as for one not yet active, so that case reads `invalid-key`.
 */
export function failureKindOfStatus(status: number, message: string): WeatherFailureKind | null {
  if (status === 401 || status === 403) {
    if (/subscription|one call 3\.0|\bplan\b|not available for your|upgrade/i.test(message)) return 'plan-lacks-endpoint';
    if (/not (yet )?activ|inactive|activat/i.test(message)) return 'key-not-active';
    return status === 401 ? 'invalid-key' : 'plan-lacks-endpoint';
  }
  if (status === 429) return 'rate-limited';
  if (status === 404) return 'not-found';
  if (status >= 500 && status <= 599) return 'server-down';
  if (status >= 200 && status <= 299) return null;
  return 'bad-request';
}
