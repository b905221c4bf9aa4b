/**
 * A memory of this place's own sky: how often each kind of event happens at each local hour of
 * day in each season, learned as events arrive and decayed slowly (a half-life in days), so
 * that what is usual here and now can be told from what is rare.
 *
 * Time is the sky's only: every method takes the event's own instant (from the clock or the
 * recorded day), never the wall clock, so the same events give the same memory and the same
 * ratings, bit for bit. The memory holds plain numbers (see {@link SkyMemoryData}) that a file
 * can keep across restarts (sky-memory-file.ts).
 */
import type { Season } from '../time/season.js';
import { LocalHours } from './local-hour.js';

/** What the memory counts: flocks started, lone birds, aircraft, precipitation started, pressure falls, fog formed. */
export const MEMORY_KINDS = ['flock', 'bird', 'aircraft', 'precipitation', 'pressureFall', 'fog'] as const;
export type MemoryKind = (typeof MEMORY_KINDS)[number];
export const MEMORY_SEASONS = ['spring', 'summer', 'autumn', 'winter'] as const satisfies readonly Season[];

/** One local hour of one season: how many days it was observed, and the events counted in it (both decayed). */
export interface MemoryBin {
  days: number;
  counts: Record<MemoryKind, number>;
}

/** Everything the memory knows, as plain JSON-able numbers. */
export interface SkyMemoryData {
  /** Half-life of what is learned, days of sky time. */
  halfLifeDays: number;
  /** 24 bins (local hours 0..23) per season. */
  bins: Record<Season, MemoryBin[]>;
  /** The latest instant observed (epoch ms), and its local slot `YYYY-MM-DDTHH`. */
  lastAt: number | null;
  lastSlot: string | null;
  /** Local days seen, whole (not decayed). */
  daysLearned: number;
  /** Today (the local date of `lastAt`): events of each kind so far, and the rarest one rated. */
  today: { date: string; counts: Record<MemoryKind, number>; rarest: Rating | null } | null;
}

/** How unusual one event is here and now. */
export interface Rating {
  kind: MemoryKind;
  /** The event's instant, epoch ms. */
  at: number;
  /** Local hour 0..23 and season of the bin it was judged in. */
  hour: number;
  season: Season;
  /** Expected events of this kind per local hour here at this hour and season (smoothed). */
  ratePerHour: number;
  /** -ln of the chance of at least one such event in the hour, scaled to 0 (usual) .. 1 (once in 1000 hours or rarer). */
  rarity: number;
  /** No event of this kind earlier on this local day. */
  firstToday: boolean;
  /** Events of this kind earlier on this local day. */
  earlierToday: number;
  /** 0..1: rarity, raised for the first of the day (see {@link prominenceOf}). */
  prominence: number;
}

/** Prior rates (events per hour) a new memory starts from, before this place has taught it anything. */
const PRIOR_RATE: Record<MemoryKind, number> = {
  flock: 0.2,
  bird: 1,
  aircraft: 0.5,
  precipitation: 0.05,
  pressureFall: 0.03,
  fog: 0.01,
};
/** Weight of the prior against a season's own counts, in observed hours. */
const PRIOR_HOURS = 24;
/** Weight of the season's rate against one hour's own counts, in observed days. */
const SMOOTH_DAYS = 3;
/** A chance per hour at or below which an event rates 1. */
const RAREST_CHANCE = 1e-3;
/** How much being the first of the day raises prominence (0..1). */
const FIRST_WEIGHT = 0.5;
/** Gaps in observation up to this long (sky ms) count as observed; longer ones (a daemon off) do not. */
const MAX_FILL_MS = 3 * 3_600_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface SkyMemoryOptions {
  /** The place's IANA time zone: bins are its local hours. */
  timeZone: string;
  /** The season at an instant (the world state's reckoning, by the place's hemisphere). */
  seasonAt: (atMs: number) => Season;
  /** Half-life of what is learned, sky days (default 60). */
  halfLifeDays?: number;
  /** What an earlier run learned (a file's contents); default: nothing. */
  data?: SkyMemoryData;
}

export class SkyMemory {
  private readonly hours: LocalHours;
  private readonly seasonAt: (atMs: number) => Season;
  private data: SkyMemoryData;

  constructor(options: SkyMemoryOptions) {
    this.hours = new LocalHours(options.timeZone);
    this.seasonAt = options.seasonAt;
    this.data = options.data ? structuredClone(options.data) : emptyMemoryData(options.halfLifeDays ?? 60);
    if (options.halfLifeDays !== undefined) this.data.halfLifeDays = options.halfLifeDays;
  }

  get timeZone(): string {
    return this.hours.timeZone;
  }

  /** A copy of what the memory knows, for a file. */
  snapshot(): SkyMemoryData {
    return structuredClone(this.data);
  }

  /** Local days seen, and the rarest event rated today (null before any). */
  summary(): { daysLearned: number; rarestToday: Rating | null } {
    return { daysLearned: this.data.daysLearned, rarestToday: this.data.today?.rarest ?? null };
  }

  /**
   * Time has reached `atMs`: marks each local hour passed since the last instant as observed
   * once (gaps longer than three hours are not filled: nothing was watching), decays what was
   * learned by the sky time elapsed, and starts a new day's counts at local midnight. An
   * instant earlier than the last one changes nothing.
   */
  pass(atMs: number): void {
    const last = this.data.lastAt;
    if (last !== null && atMs <= last) return;
    if (last !== null && atMs - last <= MAX_FILL_MS) {
      for (let at = last + HOUR_MS; at < atMs; at += HOUR_MS) this.mark(at, 1);
    }
    const gapHours = last === null ? 0 : atMs - last <= MAX_FILL_MS ? 1 : Math.round((atMs - last) / HOUR_MS);
    this.mark(atMs, gapHours);
    this.data.lastAt = atMs;
  }

  /** Rates an event of `kind` at `atMs` against the memory, then learns it. */
  observe(kind: MemoryKind, atMs: number): Rating {
    this.pass(atMs);
    const rating = this.rate(kind, atMs);
    this.learn(kind, atMs);
    const today = this.data.today;
    if (today && (today.rarest === null || rating.prominence > today.rarest.prominence)) today.rarest = rating;
    return rating;
  }

  /** How unusual an event of `kind` at `atMs` would be; learns nothing. */
  rate(kind: MemoryKind, atMs: number): Rating {
    const { date, hour } = this.hours.slotAt(atMs);
    const season = this.seasonAt(atMs);
    const bins = this.data.bins[season];
    const seasonDays = bins.reduce((sum, bin) => sum + bin.days, 0);
    const seasonCount = bins.reduce((sum, bin) => sum + bin.counts[kind], 0);
    const seasonRate = (seasonCount + PRIOR_HOURS * PRIOR_RATE[kind]) / (seasonDays + PRIOR_HOURS);
    const bin = bins[hour]!;
    const ratePerHour = (bin.counts[kind] + SMOOTH_DAYS * seasonRate) / (bin.days + SMOOTH_DAYS);
    const chance = 1 - Math.exp(-ratePerHour);
    const rarity = clamp01(Math.log(chance) / Math.log(RAREST_CHANCE));
    const earlierToday = this.data.today?.date === date ? this.data.today.counts[kind] : 0;
    const firstToday = earlierToday === 0;
    return { kind, at: atMs, hour, season, ratePerHour, rarity, firstToday, earlierToday, prominence: prominenceOf(rarity, earlierToday) };
  }

  /** Counts an event of `kind` at `atMs` in its bin and in today's counts. */
  learn(kind: MemoryKind, atMs: number): void {
    const { date, hour } = this.hours.slotAt(atMs);
    this.data.bins[this.seasonAt(atMs)][hour]!.counts[kind] += 1;
    if (this.data.today?.date === date) this.data.today.counts[kind] += 1;
  }

  /**
   * Marks the local hour of `atMs` observed, once per slot, after decaying what was learned by
   * `hoursPassed` whole hours (one per slot, so the decay does not depend on how often time is told).
   */
  private mark(atMs: number, hoursPassed: number): void {
    const { date, hour } = this.hours.slotAt(atMs);
    const slot = `${date}T${String(hour).padStart(2, '0')}`;
    if (slot === this.data.lastSlot) return;
    if (hoursPassed > 0) this.decay(hoursPassed);
    this.data.lastSlot = slot;
    this.data.bins[this.seasonAt(atMs)][hour]!.days += 1;
    if (this.data.today?.date !== date) {
      this.data.today = { date, counts: zeroCounts(), rarest: null };
      this.data.daysLearned += 1;
    }
  }

  private decay(hours: number): void {
    const factor = 0.5 ** ((hours * HOUR_MS) / (this.data.halfLifeDays * DAY_MS));
    for (const season of MEMORY_SEASONS) {
      for (const bin of this.data.bins[season]) {
        bin.days *= factor;
        for (const kind of MEMORY_KINDS) bin.counts[kind] *= factor;
      }
    }
  }
}

/**
 * Prominence 0..1 of an event: its rarity, raised for the first of its kind today (by half the
 * way to 1) and less for each later one (the n-th of the day by 1/n of that).
 */
export function prominenceOf(rarity: number, earlierToday: number): number {
  const novelty = 1 / (1 + earlierToday);
  return clamp01(1 - (1 - rarity) * (1 - FIRST_WEIGHT * novelty));
}

/** A memory that has learned nothing. */
export function emptyMemoryData(halfLifeDays = 60): SkyMemoryData {
  const season = () => Array.from({ length: 24 }, () => ({ days: 0, counts: zeroCounts() }));
  return {
    halfLifeDays,
    bins: { spring: season(), summer: season(), autumn: season(), winter: season() },
    lastAt: null,
    lastSlot: null,
    daysLearned: 0,
    today: null,
  };
}

/** "rare at 14h in summer (0.82), first today", for the reason of a decision. */
export function describeRating(rating: Rating): string {
  const word = rating.rarity >= 0.6 ? 'rare' : rating.rarity >= 0.3 ? 'unusual' : 'usual';
  const nth = rating.firstToday ? 'first today' : `${ordinal(rating.earlierToday + 1)} today`;
  return `${word} at ${rating.hour}h in ${rating.season} (${rating.rarity.toFixed(2)}), ${nth}`;
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

function zeroCounts(): Record<MemoryKind, number> {
  return { flock: 0, bird: 0, aircraft: 0, precipitation: 0, pressureFall: 0, fog: 0 };
}

function clamp01(value: number): number {
  return Math.max(0, Math.min(1, value));
}
