import type { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { StreamFanOut } from './fan-out.js';
import { OggPageSplitter, type OggPage } from './ogg-pages.js';

/**
 * An Ogg encoder's bytes (Opus or Vorbis) copied to many listeners, whole pages only. An Ogg
 * stream cannot be joined mid-way: a decoder needs the stream's header pages (OpusHead and
 * OpusTags) first. So the header pages are kept, and a new listener gets them, then joins at
 * the next audio page.
 *
 * When the encoder is replaced (it died and was restarted), the new encoder starts a new
 * logical stream with its own serial number and header pages. They replace the kept ones and
 * are sent to the current listeners as well, which makes their stream a chained Ogg stream
 * (RFC 3533 section 4, "chaining"). ffmpeg, mpv, VLC, Firefox and Chrome play across the
 * seam; some players stop at it, as at the end of a file, and must reconnect.
 */
export class OggFanOut extends StreamFanOut {
  private readonly splitter = new OggPageSplitter();
  /** Listeners that have not had a page yet: they wait for the next audio page. */
  private readonly waiting = new Set<Writable>();
  private headerPages: Buffer[] = [];
  /** True from a stream's first page until its first audio page. */
  private readingHeaders = false;

  constructor(log: Logger, maxQueuedBytes?: number) {
    super(log, maxQueuedBytes);
  }

  override get size(): number {
    return this.listeners.size + this.waiting.size;
  }

  /** Adds a listener; it gets the header pages and then audio from the next page boundary. */
  override add(listener: Writable): void {
    this.waiting.add(listener);
    this.log.info({ listeners: this.size }, 'listener joined');

    listener.on('close', () => {
      const left = this.waiting.delete(listener) || this.listeners.delete(listener);
      if (left) this.log.info({ listeners: this.size }, 'listener left');
    });
  }

  /** Takes encoder bytes in chunks of any size; listeners get whole pages only. */
  override broadcast(bytes: Buffer): void {
    for (const page of this.splitter.push(bytes)) this.sendPage(page);
  }

  /** Drops the old encoder's partial page: the new encoder starts at a page of its own. */
  override encoderRestarted(): void {
    this.splitter.reset();
  }

  override endAll(): void {
    for (const listener of this.waiting) listener.end();
    this.waiting.clear();
    super.endAll();
  }

  /** The header pages a new listener gets first (copies of the current stream's). */
  get headers(): Buffer[] {
    return [...this.headerPages];
  }

  private sendPage(page: OggPage): void {
    if (page.beginsStream) {
      this.headerPages = [];
      this.readingHeaders = true;
    }

    const isHeader = this.readingHeaders && (page.granulePosition === 0n || page.granulePosition === -1n);
    if (isHeader) {
      this.headerPages.push(page.bytes);
      for (const listener of this.listeners) this.sendTo(listener, page.bytes);
      return;
    }
    this.readingHeaders = false;

    this.admitWaiting();
    for (const listener of this.listeners) this.sendTo(listener, page.bytes);
  }

  /** Waiting listeners join before an audio page, once the whole header is known. */
  private admitWaiting(): void {
    if (this.headerPages.length === 0) return;

    const header = Buffer.concat(this.headerPages);
    for (const listener of this.waiting) {
      this.waiting.delete(listener);
      this.listeners.add(listener);
      this.sendTo(listener, header);
    }
  }
}
