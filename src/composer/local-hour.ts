/**
 * The local date and hour of an instant at a place, by its IANA time zone: the sky memory's
 * bins. Read from the instant alone (never from the wall clock), so replaying a day gives the
 * same hours wherever and whenever it runs.
 */

/** A local hour slot: `date` is YYYY-MM-DD at the place, `hour` 0..23. */
export interface LocalSlot {
  date: string;
  hour: number;
}

export class LocalHours {
  private readonly format: Intl.DateTimeFormat;

  /** @param timeZone an IANA zone such as Europe/Brussels (RangeError if unknown). */
  constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    });
  }

  /** The local date and hour at `atMs` (epoch ms). */
  slotAt(atMs: number): LocalSlot {
    const parts: Record<string, string> = {};
    for (const part of this.format.formatToParts(atMs)) parts[part.type] = part.value;
    return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) % 24 };
  }
}
