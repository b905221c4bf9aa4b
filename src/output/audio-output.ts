/**
 * What every live output of the mix is: the HTTP streams, the Icecast push, the sound card,
 * the daily files. The daemon renders the mix once and hands each chunk to every output;
 * an output never blocks the mix or the others, and reports its own health.
 */

/** How an output is doing, for the status API, the dashboard and the metrics. */
export interface OutputHealth {
  /** Names the output in logs and status, e.g. "http mp3", "icecast", "device", "file". Holds no secret. */
  name: string;
  /** running: taking audio; reconnecting: down, retried with backoff; failed: gave up (a setting is wrong); stopped. */
  state: 'starting' | 'running' | 'reconnecting' | 'failed' | 'stopped';
  /** The latest problem or fact in words (masked), e.g. "connection refused; retry in 8 s". */
  detail?: string;
  /** Times the output's encoder or connection was started again. */
  restarts: number;
  /** Listeners, for outputs that have them. */
  listeners?: number;
}

export interface AudioOutput {
  readonly name: string;
  /**
   * Starts the output. Resolves once it is taking audio or, for a remote that is down, once
   * it is retrying in the background: it never waits for a network. Rejects only for a
   * setting that can never work (an InputError naming it).
   */
  start(): Promise<void>;
  /**
   * Takes one chunk of the mix: interleaved 32-bit float little-endian stereo PCM at the
   * daemon's sample rate (48 kHz). Never blocks and never throws: an output that cannot keep
   * up drops audio (and counts it) rather than hold the mix back.
   */
  write(pcm: Buffer): void;
  /** Flushes what it has (the end of a file, the last encoded frames) and stops. Idempotent. */
  stop(): Promise<void>;
  health(): OutputHealth;
}
