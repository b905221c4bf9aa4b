import type { FrameSize } from './stream-info.js';

/** What was left when a raw stream ended. */
export interface SplitterEnd {
  /** Whole frames cut from the stream. */
  frames: number;
  /** Bytes after the last whole frame (a short read); 0 when the stream ended cleanly. */
  leftoverBytes: number;
  /** Set when the bytes do not divide into frames of the stated size: what they fit instead. */
  mismatch?: string;
}

/** The stated frame size disagrees with the stream; no frame of the wrong size was cut. */
export class FrameSizeMismatch extends Error {
  override name = 'FrameSizeMismatch';
}

/**
 * Cuts a raw rgb24 byte stream, arriving in chunks of any size, into whole frames of
 * width * height * 3 bytes. Guarantees: a frame is emitted only when all its bytes are
 * in; each emitted buffer is its own copy; bytes that come before the size is stated are
 * held (at most `holdLimitBytes`) and cut once it is.
 *
 * Caveat: bytes carry no frame boundaries. A stated size that is wrong by a few rows is
 * only noticed when the stream ends and its length does not divide ({@link end}); the
 * camera sources therefore state the size ffmpeg itself says it writes, which its scale
 * filter keeps fixed for the life of the process.
 */
export class RawFrameSplitter {
  private size: FrameSize | null = null;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private totalBytes = 0;
  private frames = 0;

  constructor(
    private readonly onFrame: (rgb: Uint8Array, size: FrameSize) => void,
    private readonly holdLimitBytes = 64 * 1024 * 1024,
  ) {}

  /**
   * States the frame size. Stating it again with another size once bytes have been cut
   * throws a {@link FrameSizeMismatch}; the caller stops the stream (nothing is sheared).
   */
  setSize(size: FrameSize): void {
    if (!(Number.isInteger(size.width) && Number.isInteger(size.height) && size.width > 0 && size.height > 0)) {
      throw new FrameSizeMismatch(`frame size ${size.width}x${size.height} is not a positive whole size`);
    }
    if (this.size && (this.size.width !== size.width || this.size.height !== size.height)) {
      throw new FrameSizeMismatch(
        `frames were stated as ${this.size.width}x${this.size.height}, now as ${size.width}x${size.height}`);
    }

    this.size = size;
    this.cut();
  }

  push(chunk: Uint8Array): void {
    this.pending.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.pendingBytes += chunk.byteLength;
    this.totalBytes += chunk.byteLength;

    if (!this.size && this.pendingBytes > this.holdLimitBytes) {
      throw new FrameSizeMismatch(`${this.pendingBytes} bytes came before any frame size was stated`);
    }
    this.cut();
  }

  /** The stream has ended: reports whole frames, a short read, and a size that does not divide. */
  end(): SplitterEnd {
    const result: SplitterEnd = { frames: this.frames, leftoverBytes: this.pendingBytes };
    if (this.size && this.pendingBytes > 0) result.mismatch = describeMismatch(this.totalBytes, this.size);
    this.pending = [];
    this.pendingBytes = 0;
    return result;
  }

  private cut(): void {
    if (!this.size) return;
    const frameBytes = this.size.width * this.size.height * 3;
    if (this.pendingBytes < frameBytes) return;

    let joined = Buffer.concat(this.pending, this.pendingBytes);
    while (joined.length >= frameBytes) {
      this.frames += 1;
      this.onFrame(new Uint8Array(joined.subarray(0, frameBytes)), this.size);
      joined = joined.subarray(frameBytes);
    }

    // Copied, so that the rest does not keep the whole joined buffer alive.
    this.pending = joined.length > 0 ? [Buffer.from(joined)] : [];
    this.pendingBytes = joined.length;
  }
}

/** Says what `totalBytes` would fit instead of frames of `size`: a height near it, or whole rows. */
function describeMismatch(totalBytes: number, size: FrameSize): string {
  const rowBytes = size.width * 3;
  const stated = `${totalBytes} bytes are not a whole number of ${size.width}x${size.height} frames`;
  if (totalBytes % rowBytes !== 0) return `${stated}, nor of ${size.width}-pixel rows (a short read)`;

  const rows = totalBytes / rowBytes;
  let best: number | null = null;
  for (let count = 1; count <= rows; count += 1) {
    if (rows % count !== 0) continue;
    const height = rows / count;
    if (Math.abs(height - size.height) > size.height * 0.1) continue;
    if (best === null || Math.abs(height - size.height) < Math.abs(best - size.height)) best = height;
  }
  if (best === null) return `${stated} (${rows} rows in all)`;
  return `${stated}: they fit ${rows / best} frames of ${size.width}x${best}`;
}
