import { Counter, Gauge, type Registry } from 'prom-client';
import type { BridgeHealth } from '../bridge/bridge-health.js';
import type { OutputHealth } from '../output/audio-output.js';

const OUTPUT_STATES: ReadonlyArray<OutputHealth['state']> = ['starting', 'running', 'reconnecting', 'failed', 'stopped'];
const BRIDGE_COUNTS = ['sent', 'unsent', 'received', 'dropped'] as const;

/**
 * Metrics read from the parts' own health at each scrape: the outputs (state, restarts,
 * listeners) and the MQTT bridge. Nothing is pushed: a scrape calls the registered readers,
 * so the numbers are as fresh as the scrape. A reader that throws leaves its metrics empty
 * for that scrape; the rest of the page is still served.
 */
export class WatchedMetrics {
  private readOutputs: () => readonly OutputHealth[] = () => [];
  private readBridge: (() => BridgeHealth) | null = null;

  constructor(private readonly registry: Registry) {
    const registers = [registry];
    const watched = this;

    new Gauge({
      name: 'skychoir_output_state',
      help: "1 for each output's current state, 0 for its other states.",
      labelNames: ['output', 'state'],
      registers,
      collect() {
        this.reset();
        for (const output of watched.outputs()) {
          for (const state of OUTPUT_STATES) this.set({ output: output.name, state }, state === output.state ? 1 : 0);
        }
      },
    });
    new Counter({
      name: 'skychoir_output_restarts_total',
      help: "Times each output's encoder or connection was started again.",
      labelNames: ['output'],
      registers,
      collect() {
        this.reset();
        for (const output of watched.outputs()) this.inc({ output: output.name }, output.restarts);
      },
    });
    new Gauge({
      name: 'skychoir_stream_listeners',
      help: 'Listeners connected to each stream output now.',
      labelNames: ['output'],
      registers,
      collect() {
        this.reset();
        for (const output of watched.outputs()) {
          if (output.listeners !== undefined) this.set({ output: output.name }, output.listeners);
        }
      },
    });
  }

  /** Reads the outputs at each scrape, e.g. `() => outputs.map((output) => output.health())`. */
  watchOutputs(read: () => readonly OutputHealth[]): void {
    this.readOutputs = read;
  }

  /** Reads the MQTT bridge at each scrape, e.g. `() => bridge.health()`. Its metrics exist from the first call. */
  watchBridge(read: () => BridgeHealth): void {
    if (!this.readBridge) this.registerBridgeMetrics();
    this.readBridge = read;
  }

  private outputs(): readonly OutputHealth[] {
    try {
      return this.readOutputs();
    } catch {
      return [];
    }
  }

  private bridge(): BridgeHealth | null {
    try {
      return this.readBridge?.() ?? null;
    } catch {
      return null;
    }
  }

  private registerBridgeMetrics(): void {
    const registers = [this.registry];
    const watched = this;

    new Gauge({
      name: 'skychoir_mqtt_up',
      help: '1 while the MQTT bridge is connected to its broker, else 0.',
      registers,
      collect() {
        this.set(watched.bridge()?.state === 'online' ? 1 : 0);
      },
    });
    new Counter({
      name: 'skychoir_mqtt_messages_total',
      help: 'MQTT bridge messages: sent, unsent (link down), received (put on the bus), dropped (bad or too many).',
      labelNames: ['outcome'],
      registers,
      collect() {
        this.reset();
        const health = watched.bridge();
        if (health) for (const outcome of BRIDGE_COUNTS) this.inc({ outcome }, health[outcome]);
      },
    });
  }
}
