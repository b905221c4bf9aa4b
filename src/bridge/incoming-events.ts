import type { Logger } from 'pino';
import type { EventBus } from '../bus/bus.js';
import type { SkyEvent } from '../bus/events.js';
import { scrubSecrets } from '../config/redact.js';
import { ToldOnce, type BridgeCounts } from './bridge-health.js';
import { parseIncoming } from './bridged-message.js';
import { frigateBirdSeen, type FrigateDetectSize } from './frigate.js';

export interface IncomingOptions {
  bus: EventBus;
  /** The bridge's logger. */
  log: Logger;
  prefix: string;
  ownOrigin: string;
  maxMessageBytes: number;
  maxPending: number;
  /** The Frigate topic and its detect size, or null. */
  frigate: { topic: string; detectSize: FrigateDetectSize } | null;
  /** Shared with the bridge's health: `received` and `dropped` are counted here. */
  counts: BridgeCounts;
}

/**
 * The bridge's incoming side: checks each message from the broker and hands good events to the
 * local bus one after another, in arrival order. Never throws. Payloads it delivered are
 * remembered (weakly) so the outgoing side can tell them from local events and not send them
 * back. At most `maxPending` events wait for the bus; more are dropped, so a stuck subscriber
 * cannot make memory grow without bound.
 */
export class IncomingEvents {
  private readonly toldOnce = new ToldOnce();
  private readonly delivered = new WeakSet<object>();
  private delivering: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(private readonly options: IncomingOptions) {}

  /** Whether this payload came from MQTT. */
  cameFromBroker(payload: object): boolean {
    return this.delivered.has(payload);
  }

  receive(topic: string, bytes: Buffer): void {
    const { frigate } = this.options;
    if (frigate && topic === frigate.topic) return this.receiveFrigate(topic, bytes, frigate.detectSize);

    const result = parseIncoming(topic, bytes, {
      prefix: this.options.prefix,
      ownOrigin: this.options.ownOrigin,
      maxBytes: this.options.maxMessageBytes,
    });
    if (result.kind === 'own') return;
    if (result.kind === 'rejected') return this.drop(topic, result.reason);
    this.deliver(topic, result.event, result.origin);
  }

  /** Resolves once every event taken so far has been through the bus. */
  async drained(): Promise<void> {
    await this.delivering;
  }

  private receiveFrigate(topic: string, bytes: Buffer, detectSize: FrigateDetectSize): void {
    if (bytes.length > this.options.maxMessageBytes) {
      return this.drop(topic, `message of ${bytes.length} bytes is over the limit of ${this.options.maxMessageBytes} bytes`);
    }
    const result = frigateBirdSeen(bytes, detectSize);
    if (result.kind === 'ignored') return;
    if (result.kind === 'rejected') return this.drop(topic, result.reason);
    this.deliver(topic, { name: 'bird.seen', payload: result.payload }, 'frigate');
  }

  private deliver(topic: string, event: SkyEvent, origin: string): void {
    if (this.pending >= this.options.maxPending) return this.drop(topic, 'the local bus is too far behind');

    this.options.counts.received++;
    this.delivered.add(event.payload);
    this.pending++;
    this.options.log.debug({ event: event.name, origin }, 'event taken from MQTT');

    this.delivering = this.delivering
      .then(() => this.options.bus.publish(event.name, event.payload as never))
      .catch((error: unknown) => this.options.log.error({ err: error, event: event.name }, 'bridged event failed on the bus'))
      .finally(() => void this.pending--);
  }

  /** Counts a dropped message; warns the first time per topic, then tells it at debug only. */
  private drop(topic: string, reason: string): void {
    this.options.counts.dropped++;
    const shownTopic = topic.length > 200 ? `${topic.slice(0, 200)}…` : topic;
    const fields = { topic: scrubSecrets(shownTopic), reason: scrubSecrets(reason) };
    if (this.toldOnce.first(topic)) this.options.log.warn(fields, 'MQTT message dropped (told once per topic)');
    else this.options.log.debug(fields, 'MQTT message dropped');
  }
}
