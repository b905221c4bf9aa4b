/**
 * Runs `work` with a signal that aborts on the first SIGINT (Ctrl-C) or SIGTERM, so the
 * command can stop cleanly between chunks. A second signal, after the handlers are removed,
 * kills the process as usual.
 */
export async function untilStopped<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    return await work(stop.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
