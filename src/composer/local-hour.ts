/**
 * The local date and hour of an instant at a place, by its IANA time zone: the sky memory's
 * bins. Read from the instant alone (never from the wall clock), so replaying a day gives the
 * same hours wherever and whenever it runs.
 */
import { localDateOf, localHourOf } from '../time/jobs.js';

/** A local hour slot: `date` is YYYY-MM-DD at the place, `hour` 0..23. */
export interface LocalSlot {
  date: string;
  hour: number;
}

export class LocalHours {
  /** @param timeZone an IANA zone such as Europe/Brussels (RangeError if unknown). */
  constructor(readonly timeZone: string) {
    localDateOf(0, timeZone);
  }

  /** The local date and hour at `atMs` (epoch ms). */
  slotAt(atMs: number): LocalSlot {
    const { year, month, day } = localDateOf(atMs, this.timeZone);
    const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    return { date, hour: localHourOf(atMs, this.timeZone) };
  }
}
