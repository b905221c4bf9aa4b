import { setTimeout as delay } from 'node:timers/promises';
import { monotonicMs } from './timeline.js';

/** Waits `ms` milliseconds or until the signal aborts, whichever comes first; never rejects. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The real sleep: a timer that is cleared, with its abort listener removed, on abort. */
export const realSleep: Sleep = async (ms, signal) => {
  try {
    await delay(ms, undefined, { signal });
  } catch (error) {
    if (!signal?.aborted) throw error;
  }
};

export interface PacerOptions {
  /** Audio milliseconds the producer may run ahead of the listener. */
  leadMs: number;
  /** Monotonic milliseconds; injected so tests can run on fake time. */
  now?: () => number;
  sleep?: Sleep;
  /** The longest single wait, in ms, so an abort or a clock step is noticed promptly. */
  longestWaitMs?: number;
}

/**
 * Keeps a producer of audio at most `leadMs` ahead of real time. The listener's position is
 * the monotonic time since the pacer was made; the producer reports how much audio it has
 * made so far. Audio is never held back when the producer is behind: it catches up as fast
 * as it can.
 */
export class Pacer {
  private readonly startedMs: number;
  private readonly now: () => number;
  private readonly sleep: Sleep;
  private readonly longestWaitMs: number;

  constructor(private readonly options: PacerOptions) {
    this.now = options.now ?? monotonicMs;
    this.sleep = options.sleep ?? realSleep;
    this.longestWaitMs = options.longestWaitMs ?? 1_000;
    this.startedMs = this.now();
  }

  /** Audio milliseconds the producer is ahead of the listener (negative when behind). */
  aheadMs(producedMs: number): number {
    return producedMs - (this.now() - this.startedMs);
  }

  /** Resolves once `producedMs` of audio is within `leadMs` of real time, or on abort. */
  async waitFor(producedMs: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) return;

      const excessMs = this.aheadMs(producedMs) - this.options.leadMs;
      if (excessMs <= 0) return;

      await this.sleep(Math.min(excessMs, this.longestWaitMs), signal);
    }
  }
}
