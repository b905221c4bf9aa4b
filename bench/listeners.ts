/**
 * Listeners held: steps of N concurrent HTTP listeners on a running daemon's /stream
 * (loopback, each reading as fast as it can). A listener is held without a gap when it got
 * bytes, never waited longer than the chunk plus one second between two arrivals (nor
 * between the last one and the step's end), and was never dropped. The daemon's CPU is read
 * over each step. The steps stop at the first N not all held.
 */
import { get, type ClientRequest } from 'node:http';
import type { LiveDaemon } from './live-daemon.js';
import { sleep } from './live-daemon.js';
import { corePercent, sampleUsage } from './proc-usage.js';

export interface ListenerStep {
  listeners: number;
  held: number;
  /** Listeners whose connection the daemon closed during the step. */
  dropped: number;
  /** The longest wait between arrivals of any listener, seconds. */
  longestGapS: number;
  /** Listeners the daemon counted on its MP3 stream half way through (from /status). */
  countedByDaemon: number | null;
  daemonCorePercent: number;
  ffmpegCorePercent: number;
  /** Mean bytes per second each listener received (128 kbit/s MP3 is 16000). */
  bytesPerListenerPerS: number;
}

/** One listener on a stream, keeping its longest wait between arrivals and whether it was dropped. */
export class GapListener {
  firstAt: number | null = null;
  lastAt: number | null = null;
  longestGapMs = 0;
  bytes = 0;
  dropped = false;
  private readonly request: ClientRequest;
  private hungUp = false;
  private ended = false;

  constructor(url: string) {
    this.request = get(url, { agent: false }, (response) => {
      response.on('data', (chunk: Buffer) => {
        const now = performance.now();
        if (this.lastAt !== null) this.longestGapMs = Math.max(this.longestGapMs, now - this.lastAt);
        this.firstAt ??= now;
        this.lastAt = now;
        this.bytes += chunk.length;
      });
      // A stream the server ends cleanly (a replay's day over) is not a drop; a destroyed one is.
      response.on('end', () => (this.ended = true));
      response.on('close', () => (this.dropped ||= !this.hungUp && !this.ended));
    });
    this.request.on('error', () => (this.dropped ||= !this.hungUp));
  }

  /** Hangs up at `endAt` (performance.now() ms), counting the wait since the last arrival as a gap. */
  hangUp(endAt: number): void {
    if (this.lastAt !== null) this.longestGapMs = Math.max(this.longestGapMs, endAt - this.lastAt);
    this.hungUp = true;
    this.request.destroy();
  }
}

export async function benchListeners(daemon: LiveDaemon, counts: readonly number[], stepS: number, chunkS: number): Promise<ListenerStep[]> {
  const steps: ListenerStep[] = [];
  const gapLimitMs = (chunkS + 1) * 1000;

  for (const count of counts) {
    const before = sampleUsage(daemon.pid);
    const startedAt = performance.now();
    const listeners = Array.from({ length: count }, () => new GapListener(`${daemon.base}/stream`));

    await sleep((stepS * 1000) / 2);
    const countedByDaemon = (await daemon.status())?.listeners.mp3 ?? null;
    await sleep((stepS * 1000) / 2);

    const endAt = performance.now();
    const after = sampleUsage(daemon.pid);
    for (const listener of listeners) listener.hangUp(endAt);
    const percent = corePercent(before, after, (endAt - startedAt) / 1000);

    const held = listeners.filter((each) => each.firstAt !== null && !each.dropped && each.longestGapMs <= gapLimitMs).length;
    steps.push({
      listeners: count,
      held,
      dropped: listeners.filter((each) => each.dropped).length,
      longestGapS: Math.max(...listeners.map((each) => each.longestGapMs)) / 1000,
      countedByDaemon,
      daemonCorePercent: percent.process,
      ffmpegCorePercent: percent.children,
      bytesPerListenerPerS: listeners.reduce((sum, each) => sum + each.bytes, 0) / count / ((endAt - startedAt) / 1000),
    });
    if (held < count) break;
    await sleep(1000);
  }
  return steps;
}
