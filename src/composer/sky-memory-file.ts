/**
 * The sky memory on disk: one JSON file, checked by a schema when read and written atomically
 * (a temporary file renamed over the old one), so a crash mid-write leaves the previous memory
 * whole. The live daemon loads it at start (a missing file is a new place; a corrupt or
 * foreign one is set aside as `<file>.bad-<timestamp>` and an empty memory is used) and saves
 * it every few minutes of sky time and at shutdown. Renders never read it unless told to.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { MEMORY_KINDS, MEMORY_SEASONS, type SkyMemoryData } from './sky-memory.js';

export const SKY_MEMORY_FORMAT = 'skychoir-sky-memory';
export const SKY_MEMORY_VERSION = 1;

const count = z.number().finite().min(0);
const counts = z.object(Object.fromEntries(MEMORY_KINDS.map((kind) => [kind, count])) as Record<(typeof MEMORY_KINDS)[number], typeof count>).strict();
const bin = z.object({ days: count, counts }).strict();
const seasonBins = z.array(bin).length(24);
const rating = z
  .object({
    kind: z.enum(MEMORY_KINDS),
    at: z.number().finite(),
    hour: z.number().int().min(0).max(23),
    season: z.enum(MEMORY_SEASONS),
    ratePerHour: count,
    rarity: z.number().min(0).max(1),
    firstToday: z.boolean(),
    earlierToday: z.number().int().min(0),
    prominence: z.number().min(0).max(1),
  })
  .strict();

const memoryData = z
  .object({
    halfLifeDays: z.number().positive(),
    bins: z.object(Object.fromEntries(MEMORY_SEASONS.map((season) => [season, seasonBins])) as Record<(typeof MEMORY_SEASONS)[number], typeof seasonBins>).strict(),
    lastAt: z.number().finite().nullable(),
    lastSlot: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}$/).nullable(),
    daysLearned: z.number().int().min(0),
    today: z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), counts, rarest: rating.nullable() }).strict().nullable(),
  })
  .strict();

/** The file: its format and version, the place's time zone its hours are in, and the memory. */
export const skyMemoryFileSchema = z
  .object({
    format: z.literal(SKY_MEMORY_FORMAT),
    version: z.literal(SKY_MEMORY_VERSION),
    timeZone: z.string().min(1),
    memory: memoryData,
  })
  .strict();

/** A memory file that cannot be used, with why. */
export class SkyMemoryFileError extends InputError {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`sky memory ${file}: ${problem}`);
    this.name = 'SkyMemoryFileError';
  }
}

/**
 * Reads and checks the memory at `file`, kept in `timeZone`'s hours. Throws a
 * {@link SkyMemoryFileError} for a file that is not JSON, not a sky memory, or of another zone;
 * an unreadable file's own error (ENOENT for a missing one) otherwise.
 */
export async function readSkyMemoryFile(file: string, timeZone: string): Promise<SkyMemoryData> {
  const text = await readFile(file, 'utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new SkyMemoryFileError(file, `not JSON (${(error as Error).message})`);
  }
  const result = skyMemoryFileSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new SkyMemoryFileError(file, `not a sky memory: ${issue.path.join('.') || 'file'}: ${issue.message}`);
  }
  if (result.data.timeZone !== timeZone) {
    throw new SkyMemoryFileError(file, `kept in ${result.data.timeZone}'s hours, not this place's ${timeZone}`);
  }
  return result.data.memory;
}

/**
 * The live daemon's memory at start: the file's, or null for none. A missing file is a place
 * not yet learned (logged at info); a corrupt or foreign one is logged as an error, renamed to
 * `<file>.bad-<stamp>` (`stamp`: the instant, epoch ms) so it is kept for a person to look at,
 * and null is returned. Never throws.
 */
export async function loadLiveSkyMemory(file: string, timeZone: string, stamp: number, log: Logger): Promise<SkyMemoryData | null> {
  try {
    const data = await readSkyMemoryFile(file, timeZone);
    log.info({ file, daysLearned: data.daysLearned }, 'sky memory loaded');
    return data;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      log.info({ file }, 'no sky memory yet: this place is learned from now on');
      return null;
    }
    const aside = `${file}.bad-${stamp}`;
    try {
      await rename(file, aside);
      log.error({ file, setAside: aside, problem: (error as Error).message }, 'sky memory unusable: set aside; starting with an empty memory');
    } catch (renameError) {
      log.error({ file, problem: (error as Error).message, err: renameError }, 'sky memory unusable and could not be set aside; starting with an empty memory');
    }
    return null;
  }
}

/** Writes `data` to `file` atomically (temporary file beside it, then rename), making its folder. */
export async function writeSkyMemoryFile(file: string, timeZone: string, data: SkyMemoryData): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const content = { format: SKY_MEMORY_FORMAT, version: SKY_MEMORY_VERSION, timeZone, memory: data };
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(content)}\n`);
  await rename(temporary, file);
}
