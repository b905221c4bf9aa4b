/**
 * Waits between restarts of a camera: exponential with full jitter, the n-th failure in a
 * row waiting a uniform draw in [floor, min(max, floor * 2^(n-1))] milliseconds, so the
 * first retry waits the floor and cameras that fail together do not retry together.
 */
export class RestartBackoff {
  private failures = 0;

  constructor(
    private readonly floorMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {
    if (!(floorMs > 0 && maxMs >= floorMs)) {
      throw new RangeError(`backoff needs 0 < floor <= max, got floor ${floorMs} ms, max ${maxMs} ms`);
    }
  }

  /** The wait before the next try, ms; counts one more failure. */
  next(): number {
    this.failures += 1;
    const ceilingMs = Math.min(this.maxMs, this.floorMs * 2 ** Math.min(this.failures - 1, 40));
    return this.floorMs + this.random() * (ceilingMs - this.floorMs);
  }

  /** Failures in a row so far. */
  get failuresInARow(): number {
    return this.failures;
  }

  /** A success: the next failure waits the floor again. */
  reset(): void {
    this.failures = 0;
  }
}
