import type { Logger } from 'pino';
import type { SkyEventName, SkyEvents } from './events.js';

type Handler<Name extends SkyEventName> = (payload: SkyEvents[Name]) => void | Promise<void>;

interface Subscription {
  owner: string;
  handler: (payload: never) => void | Promise<void>;
}

/**
 * Typed publish/subscribe. Each subscriber is isolated: one that throws (or rejects)
 * is logged under its owner's name and the others still receive the event.
 *
 * `publish` calls handlers in subscription order and resolves once all of them have
 * settled, so a virtual clock can wait for the consequences of an event.
 */
export class EventBus {
  private readonly subscriptions = new Map<SkyEventName, Subscription[]>();

  constructor(private readonly log: Logger) {}

  /** Subscribes `handler` under `owner` (used in logs); returns an unsubscribe function. */
  on<Name extends SkyEventName>(name: Name, owner: string, handler: Handler<Name>): () => void {
    const list = this.subscriptions.get(name) ?? [];
    const subscription: Subscription = { owner, handler: handler as Subscription['handler'] };
    list.push(subscription);
    this.subscriptions.set(name, list);

    return () => {
      const current = this.subscriptions.get(name) ?? [];
      this.subscriptions.set(
        name,
        current.filter((other) => other !== subscription),
      );
    };
  }

  async publish<Name extends SkyEventName>(name: Name, payload: SkyEvents[Name]): Promise<void> {
    this.log.debug({ event: name, payload }, 'event');

    for (const { owner, handler } of [...(this.subscriptions.get(name) ?? [])]) {
      try {
        await (handler as Handler<Name>)(payload);
      } catch (err) {
        this.log.error({ err, event: name, subscriber: owner }, 'subscriber failed; others continue');
      }
    }
  }
}
