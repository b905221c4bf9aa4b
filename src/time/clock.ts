/**
 * The one source of "now" for every stage. Live runs use {@link SystemClock};
 * replay and offline render use {@link VirtualClock}, so the same code runs in both.
 *
 * Times are milliseconds since the Unix epoch (UTC instants), as numbers.
 */
export interface Clock {
  /** Current instant in epoch milliseconds. */
  now(): number;

  /**
   * Runs `task` once the clock reaches `atMs` (immediately if already past).
   * Returns a function that cancels the task if it has not run yet.
   */
  schedule(atMs: number, task: ClockTask): () => void;
}

/** A scheduled task; a returned promise is awaited by the virtual clock before time moves on. */
export type ClockTask = () => void | Promise<void>;

/** Node's timers overflow past 2^31-1 ms (24.8 days); longer waits are taken in pieces of this. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** The wall clock. Task errors are reported to `onError`, never thrown into the timer. */
export class SystemClock implements Clock {
  constructor(private readonly onError: (error: unknown) => void = () => {}) {}

  now(): number {
    return Date.now();
  }

  schedule(atMs: number, task: ClockTask): () => void {
    let timer: NodeJS.Timeout | undefined;
    let cancelled = false;

    const arm = (): void => {
      const waitMs = Math.max(0, atMs - Date.now());
      timer = setTimeout(
        () => {
          if (cancelled) return;
          if (Date.now() < atMs) return arm();
          Promise.resolve()
            .then(task)
            .catch((error: unknown) => this.onError(error));
        },
        Math.min(waitMs, LONGEST_TIMER_MS),
      );
    };

    arm();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }
}

interface PendingTask {
  atMs: number;
  order: number;
  task: ClockTask;
}

/**
 * A clock that only moves when told to. `advanceTo` runs every due task in time order
 * (ties in the order they were scheduled), awaiting each, and sets `now()` to each
 * task's instant while it runs. Tasks may schedule further tasks, including ones
 * that fall due within the same advance.
 */
export class VirtualClock implements Clock {
  private current: number;
  private nextOrder = 0;
  private pending: PendingTask[] = [];

  constructor(
    startMs: number,
    private readonly onError: (error: unknown) => void = (error) => {
      throw error;
    },
  ) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  schedule(atMs: number, task: ClockTask): () => void {
    const entry: PendingTask = { atMs: Math.max(atMs, this.current), order: this.nextOrder++, task };
    this.pending.push(entry);
    return () => {
      this.pending = this.pending.filter((other) => other !== entry);
    };
  }

  /** Moves time forward to `targetMs`, running due tasks on the way. Never moves backwards. */
  async advanceTo(targetMs: number): Promise<void> {
    for (;;) {
      const next = this.takeNextDue(targetMs);
      if (!next) break;

      this.current = Math.max(this.current, next.atMs);
      try {
        await next.task();
      } catch (error) {
        this.onError(error);
      }
    }

    this.current = Math.max(this.current, targetMs);
  }

  /** Number of tasks not yet run. */
  get pendingCount(): number {
    return this.pending.length;
  }

  private takeNextDue(targetMs: number): PendingTask | undefined {
    let best: PendingTask | undefined;
    for (const entry of this.pending) {
      if (entry.atMs > targetMs) continue;
      if (!best || entry.atMs < best.atMs || (entry.atMs === best.atMs && entry.order < best.order)) {
        best = entry;
      }
    }
    if (best) this.pending.splice(this.pending.indexOf(best), 1);
    return best;
  }
}
