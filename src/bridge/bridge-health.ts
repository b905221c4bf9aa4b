/** How the bridge's link to the broker is. */
export type BridgeLinkState = 'idle' | 'connecting' | 'online' | 'offline' | 'stopped';

/**
 * The bridge's health, for the status API and the metrics. Counts run from the bridge's
 * creation and only grow.
 */
export interface BridgeHealth {
  /**
   * idle: not started; connecting: started, no answer from the broker yet; online: connected
   * and subscribed; offline: the link failed or dropped, retried with backoff; stopped.
   */
  state: BridgeLinkState;
  /** Clock instant (epoch ms) of the latest state change; null before start. */
  since: number | null;
  /** Why the link is down, in words (secrets masked); absent while online. */
  reason?: string;
  /** The broker as it may be shown (password masked). */
  broker: string;
  /** Milliseconds before the next connection attempt while offline. */
  retryInMs?: number;
  /** Bus events handed to the broker. */
  sent: number;
  /** Bus events not sent: the link was down (QoS 0 events are not queued) or the send failed. */
  unsent: number;
  /** Events from other machines put on the local bus. */
  received: number;
  /** Incoming messages dropped as malformed, unknown, too large, or because the bus was too far behind. */
  dropped: number;
}

/** The counters of {@link BridgeHealth}, kept by the bridge. */
export interface BridgeCounts {
  sent: number;
  unsent: number;
  received: number;
  dropped: number;
}

export function zeroCounts(): BridgeCounts {
  return { sent: 0, unsent: 0, received: 0, dropped: 0 };
}

/**
 * Remembers which topics already had a malformed message logged, so a sender that keeps
 * sending bad messages is told about once per topic, not once per message. Holds at most
 * `limit` topics; past that every new topic counts as already told (logged at debug only).
 */
export class ToldOnce {
  private readonly told = new Set<string>();

  constructor(private readonly limit = 1000) {}

  /** True the first time for a topic (while the set has room). */
  first(topic: string): boolean {
    if (this.told.has(topic) || this.told.size >= this.limit) return false;
    this.told.add(topic);
    return true;
  }
}
