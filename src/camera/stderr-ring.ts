import { scrubSecrets, urlPassword } from '../config/redact.js';

/**
 * The tail of a child process's stderr, kept for the crash report: at most `limitBytes` of
 * its latest lines, credentials scrubbed as they arrive (URL passwords, remembered secrets,
 * and the camera URL's own password), so nothing unscrubbed is ever stored. Older lines are
 * dropped, so a child that writes megabytes of stderr costs a few KiB. Each whole line is
 * also handed to `onLine` (scrubbed), for reading ffmpeg's stream information.
 *
 * Caveat: the password is masked as a plain string; one ffmpeg printed percent-encoded
 * (`%40` for `@`) is caught only by the URL pattern of scrubSecrets, not by the exact match.
 */
export class StderrRing {
  private lines: string[] = [];
  private storedBytes = 0;
  private partial = '';
  private readonly password: string | null;

  constructor(
    cameraUrl: string,
    private readonly limitBytes = 16_384,
    private readonly onLine: (line: string) => void = () => {},
  ) {
    this.password = urlPassword(cameraUrl) || null;
  }

  /** Takes a chunk as it came from the pipe; lines may be split across chunks. */
  push(chunk: Buffer | string): void {
    const text = this.partial + chunk.toString();
    const parts = text.split(/\r?\n|\r/);
    this.partial = parts.pop() ?? '';

    // A line longer than the ring would never end in memory: it is cut and kept as a line.
    if (this.partial.length > this.limitBytes) {
      parts.push(this.partial.slice(0, this.limitBytes));
      this.partial = '';
    }

    for (const raw of parts) if (raw.length > 0) this.keep(this.scrub(raw));
  }

  /** The kept lines, oldest first, with any unfinished last line. */
  toString(): string {
    const tail = this.partial ? [this.scrub(this.partial)] : [];
    return [...this.lines, ...tail].join('\n');
  }

  /** The latest non-empty line, for a one-line reason; '' when nothing was written. */
  lastLine(): string {
    if (this.partial.trim()) return this.scrub(this.partial.trim());
    return this.lines.at(-1)?.trim() ?? '';
  }

  private keep(line: string): void {
    this.lines.push(line);
    this.storedBytes += line.length + 1;
    while (this.storedBytes > this.limitBytes && this.lines.length > 1) {
      this.storedBytes -= (this.lines.shift() as string).length + 1;
    }
    this.onLine(line);
  }

  private scrub(line: string): string {
    const masked = this.password ? line.split(this.password).join('***') : line;
    return scrubSecrets(masked);
  }
}
