/**
 * Building the composer's sky memory and prominence from the configuration: the live daemon
 * from its memory file, renders from nothing or from a file named for the purpose.
 */
import type { Logger } from 'pino';
import type { SkyConfig } from '../config/schema.js';
import type { MemoryStatus } from '../server/status.js';
import { seasonAt, type Season } from '../time/season.js';
import { SkyProminence } from './prominence.js';
import { describeRating, SkyMemory, type SkyMemoryData } from './sky-memory.js';

export interface PlaceForMemory {
  /** IANA zone: the memory's hours are the place's local hours. */
  timezone: string;
  /** Degrees north, for the season's hemisphere (as the world state reckons it). */
  latitude: number;
}

/** The season as {@link WorldState.season} reckons it at `latitude` (astronomical, by hemisphere). */
export function seasonsAt(latitude: number): (atMs: number) => Season {
  return (atMs) => seasonAt(atMs, latitude);
}

/** The memory's summary for GET /status: days learned, and today's rarest event in numbers and words. */
export function memoryStatusOf(memory: SkyMemory): MemoryStatus {
  const { daysLearned, rarestToday } = memory.summary();
  return {
    daysLearned,
    rarestToday: rarestToday && {
      kind: rarestToday.kind,
      at: new Date(rarestToday.at).toISOString(),
      rarity: Math.round(rarestToday.rarity * 100) / 100,
      prominence: Math.round(rarestToday.prominence * 100) / 100,
      summary: `${rarestToday.kind}, ${describeRating(rarestToday)}`,
    },
  };
}

/** The prominence of rare events by `data` (what was learned before; null: nothing) at `place`. */
export function prominenceFor(config: SkyConfig, place: PlaceForMemory, data: SkyMemoryData | null, log: Logger): SkyProminence {
  const memory = new SkyMemory({
    timeZone: place.timezone,
    seasonAt: seasonsAt(place.latitude),
    halfLifeDays: config.memory.halfLifeDays,
    data: data ?? undefined,
  });
  const range = { accentDb: config.memory.accentBoostDb, middleDb: config.memory.middleBoostDb };
  return new SkyProminence(memory, range, log.child({ component: 'sky-memory' }));
}
