import { scrubSecrets } from '../config/redact.js';

/**
 * Keeps the last `limitBytes` of a child process's text output, secrets scrubbed, so that
 * a crash report can show it; everything older is dropped, so a chatty child never grows memory.
 */
export class RingText {
  private text = '';

  constructor(private readonly limitBytes = 16_384) {}

  push(chunk: Buffer | string): void {
    this.text += chunk.toString();
    if (this.text.length > this.limitBytes * 2) this.text = this.text.slice(-this.limitBytes);
  }

  toString(): string {
    return scrubSecrets(this.text.slice(-this.limitBytes));
  }
}
