/**
 * Jobs on the injected {@link Clock}: every N seconds (UTC instants), or daily at a local wall
 * time in a named zone. Both are daylight-saving-proof (case T1):
 * - `scheduleEvery` counts elapsed time, so a repeated or missing local hour changes nothing:
 *   every 30 minutes is every 30 minutes of real time.
 * - `scheduleDaily` walks local calendar dates, one run per date: a wall time that happens
 *   twice (02:30 on a night clocks go back) runs at its first occurrence only; one that does
 *   not exist (02:30 on a night clocks go forward) runs when the clocks jump past it (03:00).
 *
 * node-cron was evaluated for this and is not used: node-cron 4.6.0 failed case T1 under fake
 * time (node:test mock timers, TZ=Australia/Melbourne). `*\/30 * * * *` with timezone
 * Australia/Melbourne from 2024-04-07 01:00 local ran at 14:30Z, then armed its next run for
 * 16:00Z, skipping 15:00Z and 15:30Z (02:00 and 02:30 AEDT), and at 16:00Z re-armed a 0 ms
 * timer without end (a busy loop: time never reached the next slot under fake timers). Its
 * next-run search also skips 16:00Z and 16:30Z (02:00 and 02:30 AEST, the repeated hour).
 * `30 2 * * *` in Europe/Berlin has no run on 2025-03-30 (next after 03-29 12:00Z is
 * 03-31 00:30Z); 2025-10-26 was right (once, at 01:30Z).
 */
import type { Clock, ClockTask } from './clock.js';

/** A local wall time in an IANA zone. */
export interface DailyTime {
  /** 0..23. */
  hour: number;
  /** 0..59. */
  minute: number;
  /** IANA zone, e.g. 'Europe/Berlin'. */
  timeZone: string;
}

/** A local calendar date. */
export interface LocalDate {
  year: number;
  /** 1..12. */
  month: number;
  day: number;
}

/**
 * Runs `task` every `periodMs`, at the instants that are whole multiples of the period since
 * the Unix epoch (every 30 minutes: :00 and :30 UTC), the first after now. A task that throws
 * or rejects is reported by the clock; the next run is scheduled before the task runs.
 * Returns a function that cancels the job.
 */
export function scheduleEvery(clock: Clock, periodMs: number, task: ClockTask): () => void {
  if (!Number.isFinite(periodMs) || periodMs < 1000) {
    throw new RangeError(`period ${periodMs} ms: expected at least 1000 ms`);
  }

  let cancelNext = (): void => {};
  const arm = (afterMs: number): void => {
    const atMs = (Math.floor(afterMs / periodMs) + 1) * periodMs;
    cancelNext = clock.schedule(atMs, () => {
      arm(atMs);
      return task();
    });
  };

  arm(clock.now());
  return () => cancelNext();
}

/**
 * Runs `task` once per local date at `time` (see the module comment for the hours that do not
 * exist or happen twice), from the first such instant after now. The next date is scheduled
 * before the task runs, so a task that throws does not end the job. Returns a cancel function.
 */
export function scheduleDaily(clock: Clock, time: DailyTime, task: ClockTask): () => void {
  checkDailyTime(time);

  let cancelNext = (): void => {};
  const arm = (date: LocalDate): void => {
    const atMs = dailyInstant(date, time);
    cancelNext = clock.schedule(atMs, () => {
      arm(addDays(date, 1));
      return task();
    });
  };

  const now = clock.now();
  const today = localDateOf(now, time.timeZone);
  arm(dailyInstant(today, time) > now ? today : addDays(today, 1));
  return () => cancelNext();
}

/**
 * The instant `time` happens on local `date`: its first occurrence when the wall time happens
 * twice; the instant the clocks jump past it when it does not exist.
 */
export function dailyInstant(date: LocalDate, time: DailyTime): number {
  const wallMs = Date.UTC(date.year, date.month - 1, date.day, time.hour, time.minute);
  const offsets = new Set([-HALF_DAY_MS, HALF_DAY_MS].map((shift) => offsetMs(wallMs + shift, time.timeZone)));

  const exact = [...offsets]
    .map((offset) => wallMs - offset)
    .filter((atMs) => wallClockMs(atMs, time.timeZone) === wallMs);
  if (exact.length > 0) return Math.min(...exact);

  // A gap: the wall time is skipped. Find the first instant whose wall time is past it.
  let low = wallMs - Math.max(...offsets);
  let high = wallMs - Math.min(...offsets);
  while (high - low > 1000) {
    const middle = low + Math.floor((high - low) / 2000) * 1000;
    if (wallClockMs(middle, time.timeZone) >= wallMs) high = middle;
    else low = middle;
  }
  return high;
}

/** The local calendar date of an instant in a zone. */
export function localDateOf(atMs: number, timeZone: string): LocalDate {
  const wall = new Date(wallClockMs(atMs, timeZone));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/** The local hour (0..23) of an instant in a zone. */
export function localHourOf(atMs: number, timeZone: string): number {
  return new Date(wallClockMs(atMs, timeZone)).getUTCHours();
}

const HALF_DAY_MS = 43_200_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The local wall time of an instant, read as if it were UTC (epoch ms, whole seconds). */
function wallClockMs(atMs: number, timeZone: string): number {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }

  const part: Record<string, number> = {};
  for (const { type, value } of format.formatToParts(new Date(atMs))) part[type] = Number(value);
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = part;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** The zone's offset from UTC at an instant, ms (east positive). */
function offsetMs(atMs: number, timeZone: string): number {
  return wallClockMs(atMs, timeZone) - Math.floor(atMs / 1000) * 1000;
}

function addDays(date: LocalDate, days: number): LocalDate {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
}

function checkDailyTime({ hour, minute, timeZone }: DailyTime): void {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23 || !Number.isInteger(minute) || minute < 0 || minute > 59) {
    throw new RangeError(`daily time ${hour}:${minute}: expected hour 0..23 and minute 0..59`);
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new RangeError(`time zone ${JSON.stringify(timeZone)} is not an IANA zone`);
  }
}
