import { connect, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { EventBus } from '../bus/bus.js';
import type { SkyEventName, SkyEvents } from '../bus/events.js';
import { scrubSecrets } from '../config/redact.js';
import type { Clock } from '../time/clock.js';
import { zeroCounts, type BridgeHealth, type BridgeLinkState } from './bridge-health.js';
import { encodeBridgedMessage, eventTopic } from './bridged-message.js';
import { parseBrokerUrl, type BrokerAddress } from './broker-url.js';
import { SKY_EVENT_NAMES } from '../bus/event-names.js';
import type { FrigateDetectSize } from './frigate.js';
import { IncomingEvents } from './incoming-events.js';
import { InputError } from '../errors.js';

export interface MqttBridgeOptions {
  /** `mqtt://user:password@host:1883` (config mqtt.url); the password never leaves the client. */
  url: string;
  /** Topics are `<topicPrefix>/events/<event name>`. */
  topicPrefix: string;
  /** Take events other machines publish under the prefix (config mqtt.accept). */
  accept: boolean;
  bus: EventBus;
  log: Logger;
  /** Names this machine in every message it sends; messages carrying it are not taken back. */
  origin: string;
  /** Instants of the bridge's own `source.status.changed` events. */
  clock: Clock;
  /** Incoming messages larger than this many bytes are dropped. Default 64 KiB. */
  maxMessageBytes?: number;
  /** First wait before reconnecting, in ms; doubled after each failed attempt. Default 1 s. */
  reconnectMinMs?: number;
  /** Longest wait between attempts, in ms. Default 60 s. */
  reconnectMaxMs?: number;
  /** Ms to wait for the broker's answer to a connection. Default 10 s. */
  connectTimeoutMs?: number;
  /** Incoming events waiting for the bus beyond this count are dropped. Default 1000. */
  maxPendingIncoming?: number;
  /**
   * Also take birds from a Frigate NVR on the same broker (see frigate.ts), whatever `accept`
   * says: `topic` defaults to frigate/events; `detectSize` is Frigate's detect resolution.
   */
  frigate?: { topic?: string; detectSize: FrigateDetectSize };
}

/**
 * Events that are the latest state of something, sent retained so that a machine joining
 * later learns at once how the sky and the camera are. One retained message per topic: with
 * several machines, the last to send wins. All other events are momentary (QoS 0, not retained).
 */
const RETAINED: ReadonlySet<SkyEventName> = new Set(['sky.observed', 'camera.status.changed']);

/**
 * Bridges the bus to an MQTT broker. Every local event goes out as JSON `{ origin, name,
 * payload }` on `<prefix>/events/<name>`, QoS 0. With `accept`, events from other origins are
 * checked at the boundary and published on the local bus; they are never sent back out, so
 * bridges never loop. Bad messages are dropped and logged once per topic.
 *
 * `start()` returns at once and the link is kept in the background: a broker that is down
 * is retried with a doubling wait, never an exception. While offline, local events are not
 * queued (memory stays bounded); they are counted as unsent. The link's changes go on the bus
 * as `source.status.changed` with source 'mqtt'.
 *
 * Known shortcoming: mqtt.js keeps its own timers (reconnect, keepalive, connect timeout) on
 * the wall clock, not on the injected Clock: the bridge is for live runs, not virtual time.
 */
export class MqttBridge {
  private readonly broker: BrokerAddress;
  private readonly log: Logger;
  private readonly prefix: string;
  private readonly counts = zeroCounts();
  private readonly incoming: IncomingEvents;
  private readonly frigateTopic: string | null;
  private readonly unsubscribers: Array<() => void> = [];
  private client: MqttClient | null = null;
  private state: BridgeLinkState = 'idle';
  private since: number | null = null;
  private reason: string | undefined;
  private retryDelayMs: number;

  constructor(private readonly options: MqttBridgeOptions) {
    this.broker = parseBrokerUrl(options.url);
    this.log = options.log.child({ component: 'mqtt' });
    this.prefix = options.topicPrefix.replace(/\/+$/, '');
    this.retryDelayMs = this.reconnectMinMs;
    this.frigateTopic = options.frigate ? (options.frigate.topic ?? 'frigate/events') : null;
    const detect = options.frigate?.detectSize;
    if (detect && !(detect.width > 0 && detect.height > 0)) {
      throw new InputError(`frigate.detectSize: width and height must be positive pixels (got ${detect.width}x${detect.height})`);
    }
    this.incoming = new IncomingEvents({
      bus: options.bus,
      log: this.log,
      prefix: this.prefix,
      ownOrigin: options.origin,
      maxMessageBytes: options.maxMessageBytes ?? 64 * 1024,
      maxPending: options.maxPendingIncoming ?? 1000,
      frigate: options.frigate && this.frigateTopic ? { topic: this.frigateTopic, detectSize: options.frigate.detectSize } : null,
      counts: this.counts,
    });
  }

  /** Starts following the bus and connecting. Returns at once; never throws for a broker that is down. */
  start(): void {
    if (this.client || this.state === 'stopped') return;

    for (const name of SKY_EVENT_NAMES) {
      this.unsubscribers.push(this.options.bus.on(name, 'mqtt-bridge', (payload) => this.send(name, payload)));
    }

    this.setState('connecting', undefined);
    this.log.info({ broker: this.broker.shown, origin: this.options.origin, accept: this.options.accept }, 'MQTT bridge starting');
    let client: MqttClient;
    try {
      client = this.connectClient();
    } catch (error) {
      const reason = scrubSecrets((error as Error).message);
      this.setState('offline', reason);
      this.log.error({ broker: this.broker.shown, reason }, 'MQTT client could not be created; the bridge stays offline');
      return;
    }
    this.client = client;

    client.on('connect', () => this.onConnect(client));
    client.on('error', (error) => this.onError(error));
    client.on('close', () => this.onClose());
    client.on('reconnect', () => this.onReconnectAttempt(client));
    client.on('message', (topic, bytes) => {
      if (this.state !== 'stopped') this.incoming.receive(topic, bytes);
    });
  }

  private connectClient(): MqttClient {
    return connect(this.broker.url, {
      username: this.broker.username,
      password: this.broker.password,
      clean: true,
      connectTimeout: this.options.connectTimeoutMs ?? 10_000,
      reconnectPeriod: this.reconnectMinMs,
      reconnectOnConnackError: true,
      queueQoSZero: false,
      resubscribe: false,
      keepalive: 30,
    });
  }

  /** Stops following the bus and closes the link; waits for incoming events already taken. Idempotent. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    const wasOnline = this.state === 'online';

    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
    this.setState('stopped', 'stopped');
    const client = this.client;
    this.client = null;
    if (client) await client.endAsync(true).catch(() => undefined);
    await this.incoming.drained();

    if (wasOnline) await this.publishStatus('offline', 'stopped');
    this.log.info({ ...this.counts }, 'MQTT bridge stopped');
  }

  health(): BridgeHealth {
    return {
      state: this.state,
      since: this.since,
      ...(this.reason !== undefined ? { reason: this.reason } : {}),
      broker: this.broker.shown,
      ...(this.state === 'offline' ? { retryInMs: this.retryDelayMs } : {}),
      ...this.counts,
    };
  }

  private get reconnectMinMs(): number {
    return this.options.reconnectMinMs ?? 1000;
  }

  /** Connected: online once subscribed (when taking anything), so nothing sent after that is missed. */
  private onConnect(client: MqttClient): void {
    this.retryDelayMs = this.reconnectMinMs;
    client.options.reconnectPeriod = this.retryDelayMs;

    const topics = [
      ...(this.options.accept ? [eventTopic(this.prefix, '#')] : []),
      ...(this.frigateTopic ? [this.frigateTopic] : []),
    ];
    if (topics.length === 0) return this.goOnline();

    client.subscribe(topics, { qos: 0 }, (error) => {
      if (error) this.log.error({ err: error }, 'MQTT subscription failed; events from other machines are not taken');
      if (this.client === client && client.connected) this.goOnline();
    });
  }

  private goOnline(): void {
    this.setState('online', undefined);
    this.log.info({ broker: this.broker.shown }, 'MQTT bridge online');
    void this.publishStatus('online');
  }

  private onError(error: Error): void {
    this.reason = scrubSecrets(error.message);
    this.log.debug({ reason: this.reason }, 'MQTT link error');
  }

  /** A link that closed (or a connection attempt that failed). */
  private onClose(): void {
    if (this.state === 'stopped') return;
    if (this.state === 'offline') {
      this.log.debug({ reason: this.reason, retryInMs: this.retryDelayMs }, 'MQTT broker still unreachable');
      return;
    }

    const reason = this.reason ?? 'connection closed';
    this.setState('offline', reason);
    this.log.warn({ broker: this.broker.shown, reason, retryInMs: this.retryDelayMs }, 'MQTT bridge offline; retrying');
    void this.publishStatus('offline', reason);
  }

  /** mqtt.js is about to try again: the wait after this attempt, should it fail, doubles. */
  private onReconnectAttempt(client: MqttClient): void {
    this.retryDelayMs = Math.min(this.options.reconnectMaxMs ?? 60_000, this.retryDelayMs * 2);
    client.options.reconnectPeriod = this.retryDelayMs;
  }

  private send<Name extends SkyEventName>(name: Name, payload: SkyEvents[Name]): void {
    if (this.incoming.cameFromBroker(payload) || isOwnLinkStatus(name, payload)) return;

    const client = this.client;
    if (!client || this.state !== 'online') {
      this.counts.unsent++;
      return;
    }

    let body: string;
    try {
      body = encodeBridgedMessage(this.options.origin, name, payload);
    } catch (error) {
      this.counts.unsent++;
      this.log.error({ err: error, event: name }, 'event could not be encoded for MQTT');
      return;
    }

    const topic = eventTopic(this.prefix, name);
    client.publish(topic, body, { qos: 0, retain: RETAINED.has(name) }, (error) => {
      if (error) {
        this.counts.unsent++;
        this.log.debug({ event: name, reason: scrubSecrets(error.message) }, 'MQTT publish failed');
      }
    });
    this.counts.sent++;
    this.log.debug({ topic }, 'event sent to MQTT');
  }

  private setState(state: BridgeLinkState, reason: string | undefined): void {
    this.state = state;
    this.since = this.options.clock.now();
    this.reason = reason;
  }

  private async publishStatus(status: 'online' | 'offline', reason?: string): Promise<void> {
    const at = this.options.clock.now();
    await this.options.bus.publish('source.status.changed', {
      at,
      source: 'mqtt',
      status,
      ...(reason !== undefined ? { reason } : {}),
    });
  }
}

/** The bridge's own link health is a local fact: another machine's bus would take it for its own. */
function isOwnLinkStatus(name: SkyEventName, payload: unknown): boolean {
  return name === 'source.status.changed' && (payload as SkyEvents['source.status.changed']).source === 'mqtt';
}
