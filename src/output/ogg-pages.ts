/**
 * Ogg pages (RFC 3533) cut out of a byte stream as it arrives, so that an Ogg stream can be
 * fanned out at page boundaries. A page is the capture pattern "OggS", a 27-byte header, a
 * segment table of `segmentCount` bytes, then the body (the sum of the segment sizes).
 */

const CAPTURE = Buffer.from('OggS', 'ascii');
const HEADER_BYTES = 27;
const FLAG_BEGINNING_OF_STREAM = 0x02;

/** One whole page, its bytes untouched, with the header fields a fan-out needs. */
export interface OggPage {
  bytes: Buffer;
  /** The first page of a logical stream (its first header page). */
  beginsStream: boolean;
  /** Samples at 48 kHz (Opus) or the codec's rate at the end of the page; -1 when no packet ends on it. */
  granulePosition: bigint;
  serial: number;
  sequence: number;
}

/**
 * Cuts whole pages out of chunks of any size. Bytes that do not form a page with a correct
 * CRC (a stream joined mid-page, a corrupt byte) are skipped up to the next "OggS" and
 * counted, never passed on.
 */
export class OggPageSplitter {
  private pending: Buffer = Buffer.alloc(0);
  /** Bytes thrown away while looking for a page. */
  skippedBytes = 0;

  /** Takes the next chunk; returns the pages it completed, in order. */
  push(chunk: Buffer): OggPage[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const pages: OggPage[] = [];

    for (;;) {
      const start = this.pending.indexOf(CAPTURE);
      if (start < 0) {
        this.skip(Math.max(0, this.pending.length - (CAPTURE.length - 1)));
        return pages;
      }
      this.skip(start);

      const length = pageLength(this.pending);
      if (length === null || this.pending.length < length) return pages;

      const bytes = this.pending.subarray(0, length);
      if (!crcMatches(bytes)) {
        this.skip(1);
        continue;
      }
      pages.push(describe(Buffer.from(bytes)));
      this.pending = this.pending.subarray(length);
    }
  }

  /** Forgets a partial page (the encoder that wrote it is gone); the next page starts afresh. */
  reset(): void {
    this.pending = Buffer.alloc(0);
  }

  private skip(bytes: number): void {
    if (bytes === 0) return;
    this.skippedBytes += bytes;
    this.pending = this.pending.subarray(bytes);
  }
}

/** The whole page's length from its header, or null while the segment table has not arrived. */
function pageLength(bytes: Buffer): number | null {
  if (bytes.length < HEADER_BYTES) return null;
  const segmentCount = bytes[26] as number;
  if (bytes.length < HEADER_BYTES + segmentCount) return null;

  let body = 0;
  for (let i = 0; i < segmentCount; i++) body += bytes[HEADER_BYTES + i] as number;
  return HEADER_BYTES + segmentCount + body;
}

function describe(bytes: Buffer): OggPage {
  return {
    bytes,
    beginsStream: ((bytes[5] as number) & FLAG_BEGINNING_OF_STREAM) !== 0,
    granulePosition: bytes.readBigInt64LE(6),
    serial: bytes.readUInt32LE(14),
    sequence: bytes.readUInt32LE(18),
  };
}

/** Ogg's CRC-32 (polynomial 0x04c11db7, not reflected, initial 0) over the page with its CRC field zeroed. */
function crcMatches(page: Buffer): boolean {
  let crc = 0;
  for (let i = 0; i < page.length; i++) {
    const byte = i >= 22 && i < 26 ? 0 : (page[i] as number);
    crc = ((crc << 8) ^ (CRC_TABLE[((crc >>> 24) ^ byte) & 0xff] as number)) >>> 0;
  }
  return crc === page.readUInt32LE(22);
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, index) => {
  let value = index << 24;
  for (let bit = 0; bit < 8; bit++) value = value & 0x80000000 ? (value << 1) ^ 0x04c11db7 : value << 1;
  return value >>> 0;
});
