import type { EventBus } from '../bus/bus.js';
import type { SkyEventName, SkyEvents } from '../bus/events.js';

/** An event as kept for the render log: its name, instant and payload. */
export interface LoggedEvent {
  name: SkyEventName;
  at: string;
  payload: SkyEvents[SkyEventName];
}

/**
 * Keeps the events of a session for the render log. Bounded: past `limit` entries the
 * oldest are dropped, so a live run cannot grow without end.
 */
export class EventLog {
  readonly entries: LoggedEvent[] = [];

  constructor(private readonly limit = 100_000) {}

  follow(bus: EventBus, names: readonly SkyEventName[]): () => void {
    const stops = names.map((name) =>
      bus.on(name, 'event-log', (payload) => {
        this.entries.push({ name, at: new Date(payload.at).toISOString(), payload });
        if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
      }),
    );
    return () => stops.forEach((stop) => stop());
  }
}
