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
