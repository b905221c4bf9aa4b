/** The report's shared time axis: sky instants to pixels, labelled in the place's local time. */

export interface TimeAxis {
  /** Left edge of the plot, pixels. */
  left: number;
  /** Plot width, pixels. */
  width: number;
  /** Sky instants (epoch ms) at the plot's left and right edges. */
  startMs: number;
  endMs: number;
  timezone: string;
  /** Pixel x of a sky instant; instants outside the day land outside the plot. */
  x(ms: number): number;
}

export function timeAxis(left: number, width: number, startMs: number, endMs: number, timezone: string): TimeAxis {
  return {
    left, width, startMs, endMs, timezone,
    x: (ms) => left + ((ms - startMs) / (endMs - startMs)) * width,
  };
}

/** "HH:MM" of an instant in the zone, 24-hour clock. */
export function localTime(ms: number, timezone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
}

/** "YYYY-MM-DD" of an instant in the zone. */
export function localDate(ms: number, timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

/**
 * Instants of whole local hours within the axis, found by stepping quarter hours, so that
 * half-hour zones and daylight-saving days (23 or 25 hours) get their true local hours.
 */
export function localHourTicks(axis: TimeAxis): Array<{ ms: number; label: string }> {
  const quarter = 15 * 60_000;
  const ticks: Array<{ ms: number; label: string }> = [];
  for (let ms = Math.ceil(axis.startMs / quarter) * quarter; ms <= axis.endMs; ms += quarter) {
    const label = localTime(ms, axis.timezone);
    if (label.endsWith(':00')) ticks.push({ ms, label });
  }
  return ticks;
}
