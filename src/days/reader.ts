/**
 * Reads a recorded day (docs/days.md). The manifest must be right: a missing or bad one
 * throws a {@link DayFormatError} naming the file. Index files are forgiving: a bad line is
 * logged (file, line number, what was wrong), kept in `problems`, and skipped; the rest load.
 */
import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { InputError } from '../errors.js';
import type { z } from 'zod';
import {
  describeZodError,
  FRAMES_INDEX_FILE,
  frameLineSchema,
  MANIFEST_FILE,
  manifestFromFile,
  manifestSchema,
  WEATHER_INDEX_FILE,
  weatherLineSchema,
  type DayManifest,
  type WeatherProviderId,
} from './format.js';

/** A recorded day whose manifest or folder cannot be read. */
export class DayFormatError extends InputError {
  override name = 'DayFormatError';

  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`recorded day: ${file}: ${problem}`);
  }
}

/** One weather reply of a day; its body is read when the day is read. */
export interface RecordedWeatherReply {
  receivedAt: number;
  provider: WeatherProviderId;
  /** HTTP status the provider answered with. */
  status: number;
  contentType: string;
  /** Path relative to the day folder. */
  file: string;
  /** The body as the provider sent it, decoded as UTF-8. */
  body: string;
}

/** One frame of a day; its bytes are read only when asked for. */
export interface RecordedFrame {
  /** The frame's file path relative to the day folder ("frames/000001.jpg"). */
  id: string;
  capturedAt: number;
  /** Path relative to the day folder. */
  file: string;
  /** Reads the JPEG bytes. Rejects if the file is missing or unreadable. */
  readJpeg(): Promise<Buffer>;
}

/** Something in a day that was skipped, and why. Line is 1-based; 0 for a whole file. */
export interface DayProblem {
  file: string;
  line: number;
  problem: string;
}

export interface RecordedDay {
  dir: string;
  /** The manifest, with `startAt` and `endAt` as epoch ms. */
  manifest: DayManifest;
  /** Replies within [startAt, endAt], by `receivedAt` (stable for ties). */
  weather: RecordedWeatherReply[];
  /** Frames within [startAt, endAt] whose file could be read when the day was read, by `capturedAt` (stable for ties). */
  frames: RecordedFrame[];
  /** Every line or file that was skipped. Each was also logged as a warning. */
  problems: DayProblem[];
}

/** Reads the day in `dir`. Throws {@link DayFormatError} only for the manifest. */
export async function readDay(dir: string, log: Logger): Promise<RecordedDay> {
  const dayLog = log.child({ component: 'days', day: dir });
  const manifest = await readManifest(dir);
  const { startAt, endAt } = manifest;
  const problems: DayProblem[] = [];
  const report = (problem: DayProblem): void => {
    problems.push(problem);
    dayLog.warn(problem, 'recorded day: skipped');
  };

  const weatherLines = await readIndex(dir, WEATHER_INDEX_FILE, weatherLineSchema, dayLog, report);
  const weather: RecordedWeatherReply[] = [];
  for (const { line, value } of weatherLines) {
    const receivedAt = Date.parse(value.receivedAt);
    if (!withinWindow(receivedAt, startAt, endAt, WEATHER_INDEX_FILE, line, report)) continue;
    try {
      const body = await readFile(join(dir, value.file), 'utf8');
      const { provider, status, contentType, file } = value;
      weather.push({ receivedAt, provider, status, contentType, file, body });
    } catch (error) {
      const problem = `cannot read ${value.file}: ${messageOf(error)}`;
      report({ file: WEATHER_INDEX_FILE, line, problem });
    }
  }

  const frameLines = await readIndex(dir, FRAMES_INDEX_FILE, frameLineSchema, dayLog, report);
  const frames: RecordedFrame[] = [];
  for (const { line, value } of frameLines) {
    const capturedAt = Date.parse(value.capturedAt);
    if (!withinWindow(capturedAt, startAt, endAt, FRAMES_INDEX_FILE, line, report)) continue;
    const path = join(dir, value.file);
    const missing = await access(path, constants.R_OK).then(() => null, (error: unknown) => error);
    if (missing) {
      report({ file: FRAMES_INDEX_FILE, line, problem: `cannot read ${value.file}: ${messageOf(missing)}` });
      continue;
    }
    frames.push({ id: value.file, capturedAt, file: value.file, readJpeg: () => readFile(path) });
  }

  sortStable(weather, (reply) => reply.receivedAt, WEATHER_INDEX_FILE, dayLog);
  sortStable(frames, (frame) => frame.capturedAt, FRAMES_INDEX_FILE, dayLog);
  const counts = { weather: weather.length, frames: frames.length, skipped: problems.length };
  dayLog.info(counts, 'recorded day read');
  if (weather.length === 0 && frames.length === 0) {
    dayLog.warn(counts, 'recorded day has no weather reply and no frame: the music follows only the sun');
  }
  return { dir, manifest, weather, frames, problems };
}

async function readManifest(dir: string): Promise<DayManifest> {
  const path = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new DayFormatError(path, `cannot be read: ${messageOf(error)}`);
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DayFormatError(path, `not JSON: ${messageOf(error)}`);
  }

  const checked = manifestSchema.safeParse(json, { reportInput: true });
  if (!checked.success) throw new DayFormatError(path, describeZodError(checked.error));
  return manifestFromFile(checked.data);
}

interface IndexLine<T> {
  line: number;
  value: T;
}

/**
 * The good lines of a JSONL index, with their 1-based line numbers. Blank lines are allowed;
 * a missing file is an empty index (a day recorded without a camera has no frames).
 */
async function readIndex<T>(
  dir: string,
  file: string,
  schema: z.ZodType<T>,
  log: Logger,
  report: (problem: DayProblem) => void,
): Promise<IndexLine<T>[]> {
  let text: string;
  try {
    text = await readFile(join(dir, file), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      log.info({ file }, 'recorded day: no index file; nothing of this kind');
    } else {
      report({ file, line: 0, problem: `cannot be read: ${messageOf(error)}` });
    }
    return [];
  }

  const out: IndexLine<T>[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '') continue;

    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      report({ file, line: i + 1, problem: `not JSON: ${messageOf(error)}` });
      continue;
    }

    const checked = schema.safeParse(json, { reportInput: true });
    if (checked.success) out.push({ line: i + 1, value: checked.data });
    else report({ file, line: i + 1, problem: describeZodError(checked.error) });
  }
  return out;
}

function withinWindow(
  atMs: number,
  startAt: number,
  endAt: number,
  file: string,
  line: number,
  report: (problem: DayProblem) => void,
): boolean {
  if (atMs >= startAt && atMs <= endAt) return true;
  report({ file, line, problem: `${new Date(atMs).toISOString()} is outside the day's window` });
  return false;
}

/** Sorts by instant in place, keeping file order for ties; notes when the file was out of order. */
function sortStable<T>(
  items: T[],
  instantOf: (item: T) => number,
  file: string,
  log: Logger,
): void {
  const outOfOrder = items.some((item, i) => i > 0 && instantOf(item) < instantOf(items[i - 1]!));
  if (!outOfOrder) return;

  items.sort((a, b) => instantOf(a) - instantOf(b));
  log.info({ file }, 'recorded day: lines out of time order; sorted by instant');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
