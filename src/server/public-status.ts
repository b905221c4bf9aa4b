import { scrubSecrets } from '../config/redact.js';

/** Deeper than any status document; what lies below is replaced rather than walked. */
const MAX_DEPTH = 12;

/**
 * The status document as it may leave the process: every string run through scrubSecrets
 * (URL passwords, remembered secret values, keys in query strings). The app already builds
 * the status from masked text; this is the last net, for a detail that slipped through.
 * Caveat: only string values are scrubbed, not object keys (status keys are field names).
 */
export function publicStatus(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[too deep]';

  const toJson = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof toJson === 'function') return publicStatus(toJson.call(value), depth + 1);

  if (Array.isArray(value)) return value.map((item) => publicStatus(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = publicStatus(item, depth + 1);
  return copy;
}
