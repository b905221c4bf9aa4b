/**
 * Replays a recorded day on a clock: each weather reply at its `receivedAt`, each frame at
 * its `capturedAt`. On a {@link VirtualClock} the day runs as fast as the handlers allow;
 * on a real clock it runs in real time.
 */
import type { Clock } from '../time/clock.js';
import type { WeatherProviderId } from './format.js';
import type { RecordedDay, RecordedFrame, RecordedWeatherReply } from './reader.js';

export interface ReplayedWeatherReply {
  provider: WeatherProviderId;
  receivedAt: number;
  body: string;
  /** HTTP status the provider answered with. */
  status: number;
}

export interface ReplayedFrame {
  /** The frame's id in the day (its file path there). */
  id: string;
  /** Capture instant, epoch ms. */
  at: number;
  /** The JPEG bytes; null when the file could not be read (see `error`). */
  jpeg: Buffer | null;
  error?: string;
}

export interface ReplayHandlers {
  onWeatherReply(reply: ReplayedWeatherReply): Promise<void>;
  onFrame(frame: ReplayedFrame): Promise<void>;
}

type ReplayItem =
  | { kind: 'weather'; atMs: number; reply: RecordedWeatherReply }
  | { kind: 'frame'; atMs: number; frame: RecordedFrame };

/**
 * Schedules every item of `day` on `clock` at its own instant, in time order; at equal
 * instants weather replies come before frames, so a frame is seen with the weather of its
 * moment. Items are handed over one at a time: the next is scheduled once the handler of
 * the previous has settled (so only one task is pending, however long the day, and a slow
 * handler delays what follows instead of overlapping it).
 *
 * A frame file that cannot be read is handed over with `jpeg: null` and the reason, never
 * thrown. An error thrown by a handler goes to the clock's error handler and the replay
 * goes on. Returns a function that cancels what has not run yet.
 */
export function scheduleDay(day: RecordedDay, clock: Clock, handlers: ReplayHandlers): () => void {
  const items = mergeByInstant(day);
  let cancelPending: (() => void) | null = null;
  let cancelled = false;

  const scheduleItem = (index: number): void => {
    const item = items[index];
    if (!item || cancelled) return;

    cancelPending = clock.schedule(item.atMs, async () => {
      cancelPending = null;
      try {
        await deliver(item, handlers);
      } finally {
        scheduleItem(index + 1);
      }
    });
  };

  scheduleItem(0);
  return () => {
    cancelled = true;
    cancelPending?.();
    cancelPending = null;
  };
}

/** Weather and frames in one list by instant; weather first at ties, file order kept. */
function mergeByInstant(day: RecordedDay): ReplayItem[] {
  const items: ReplayItem[] = [
    ...day.weather.map((reply): ReplayItem => ({ kind: 'weather', atMs: reply.receivedAt, reply })),
    ...day.frames.map((frame): ReplayItem => ({ kind: 'frame', atMs: frame.capturedAt, frame })),
  ];
  return items.sort((a, b) => a.atMs - b.atMs);
}

async function deliver(item: ReplayItem, handlers: ReplayHandlers): Promise<void> {
  if (item.kind === 'weather') {
    const { provider, receivedAt, body, status } = item.reply;
    await handlers.onWeatherReply({ provider, receivedAt, body, status });
    return;
  }

  const { frame } = item;
  let jpeg: Buffer;
  try {
    jpeg = await frame.readJpeg();
  } catch (readError) {
    const reason = readError instanceof Error ? readError.message : String(readError);
    const error = `cannot read ${frame.file}: ${reason}`;
    await handlers.onFrame({ id: frame.id, at: frame.capturedAt, jpeg: null, error });
    return;
  }
  await handlers.onFrame({ id: frame.id, at: frame.capturedAt, jpeg });
}
