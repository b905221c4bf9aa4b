import type { Writable } from 'node:stream';
import type { Logger } from 'pino';

/**
 * One encoder's bytes copied to any number of listeners (HTTP responses, sockets). A
 * listener joins at the next chunk (MP3 frames resynchronise by themselves); a listener
 * that cannot keep up is dropped without touching the others, so the mix never waits for
 * the slowest network.
 */
export class StreamFanOut {
  protected readonly listeners = new Set<Writable>();

  /**
   * @param maxQueuedBytes a listener with more than this many bytes waiting in its socket
   *   buffer is too slow and is dropped (1 MiB is about a minute of 128 kbit/s MP3)
   */
  constructor(
    protected readonly log: Logger,
    private readonly maxQueuedBytes = 1_048_576,
  ) {}

  get size(): number {
    return this.listeners.size;
  }

  /** Adds a listener; it leaves by itself when it closes. */
  add(listener: Writable): void {
    this.listeners.add(listener);
    this.log.info({ listeners: this.listeners.size }, 'listener joined');

    listener.on('close', () => {
      if (this.listeners.delete(listener)) this.log.info({ listeners: this.listeners.size }, 'listener left');
    });
  }

  /** Sends encoded bytes to every listener, dropping those too far behind. */
  broadcast(bytes: Buffer): void {
    for (const listener of this.listeners) this.sendTo(listener, bytes);
  }

  /** The encoder that feeds this fan-out was replaced; MP3 needs nothing (frames resynchronise). */
  encoderRestarted(): void {}

  /** Writes to one listener unless it is too far behind, in which case it is dropped; false then. */
  protected sendTo(listener: Writable, bytes: Buffer): boolean {
    if (listener.writableLength > this.maxQueuedBytes) {
      this.log.warn({ queuedBytes: listener.writableLength }, 'listener too slow; dropped');
      this.listeners.delete(listener);
      listener.destroy();
      return false;
    }
    listener.write(bytes);
    return true;
  }

  /** Ends every listener's stream. */
  endAll(): void {
    for (const listener of this.listeners) listener.end();
    this.listeners.clear();
  }
}
