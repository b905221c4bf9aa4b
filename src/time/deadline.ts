import { setTimeout as delay } from 'node:timers/promises';

/**
 * Whether `promise` settles within `ms` wall-clock milliseconds. The timer is cleared either
 * way, so it never keeps the process alive; a rejection counts as settling.
 */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const cancel = new AbortController();
  const settled = promise.then(() => true, () => true);
  const late = delay(ms, false, { signal: cancel.signal }).catch(() => false);

  const result = await Promise.race([settled, late]);
  cancel.abort();
  return result;
}
