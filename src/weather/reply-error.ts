import type { WeatherFailureKind } from './failure.js';

/**
 * A provider reply that cannot be used: not JSON, not the expected shape, a value of the
 * wrong type or out of any plausible range, or the provider's own error body. The message
 * names the provider, the field path (as in `hourly.pressure_msl[3]`) and the value found,
 * so a log line alone says what was wrong. `kind`, where the parser can tell, says what an
 * operator should do about it (see {@link WeatherFailureKind}); undefined where it did not say.
 */
export class WeatherReplyError extends Error {
  override readonly name = 'WeatherReplyError';

  /**
   * @param provider  provider id, e.g. 'open-meteo'
   * @param path      where in the reply; '' for the body as a whole
   * @param value     what was found there (undefined when the field was missing)
   * @param problem   what was wrong, in words
   * @param kind      the kind of failure, where the parser can tell
   */
  constructor(
    readonly provider: string,
    readonly path: string,
    readonly value: unknown,
    readonly problem: string,
    readonly kind?: WeatherFailureKind,
  ) {
    const where = path === '' ? 'body' : path;
    super(`${provider} reply: ${where}: ${problem} (found ${previewValue(value)})`);
  }
}

const PREVIEW_CHARS = 80;

/** A short, single-line rendering of a value for error messages. */
export function previewValue(value: unknown): string {
  if (value === undefined) return 'nothing';

  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }

  text = text.replace(/\s+/g, ' ');
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}...` : text;
}

/** Joins a zod-style path into `a.b[3].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}
