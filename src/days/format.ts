/**
 * The recorded-day folder format, version 1 (documented with an example in docs/days.md):
 *
 *   manifest.json     the place and the window [startAt, endAt]
 *   weather.jsonl     one line per provider reply; the body in weather/
 *   frames.jsonl      one line per camera frame; the JPEG in frames/
 *
 * Every time is a UTC instant written as ISO 8601 with "Z", so a day that crosses a
 * daylight-saving change is still a plain, ordered timeline.
 */
import { z } from 'zod';
import { isTimeZone } from '../time/zone.js';

export const DAY_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const WEATHER_INDEX_FILE = 'weather.jsonl';
export const FRAMES_INDEX_FILE = 'frames.jsonl';
export const WEATHER_DIR = 'weather';
export const FRAMES_DIR = 'frames';

/** A UTC instant: ISO 8601 ending in "Z", e.g. "2023-07-28T22:00:00Z" (fractions allowed). */
const utcInstant = z.iso.datetime({ offset: false, local: false });

/** A path inside the day folder, under `folder/`, with no way out of it. */
function pathUnder(folder: string) {
  return z
    .string()
    .refine((path) => path.startsWith(`${folder}/`), { message: `must be a path under ${folder}/` })
    .refine(isPlainRelativePath, {
      message: 'must be a plain relative path (no "..", ".", empty parts or backslashes)',
    });
}

function isPlainRelativePath(path: string): boolean {
  if (path.includes('\\')) return false;
  return path.split('/').every((part) => part !== '..' && part !== '.' && part !== '');
}

export const placeSchema = z
  .object({
    name: z.string().min(1),
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    /** IANA zone of the place, for showing local times; never used to store them. */
    timezone: z.string().refine(isTimeZone, 'not an IANA time zone (such as Europe/Brussels)'),
  })
  .strict();

export const manifestSchema = z
  .object({
    format: z.literal(DAY_FORMAT_VERSION),
    place: placeSchema,
    startAt: utcInstant,
    endAt: utcInstant,
    /** Where the day came from, in words (a live recording, a test-day builder, ...). */
    source: z.string(),
  })
  .strict()
  .superRefine((manifest, context) => {
    if (Date.parse(manifest.startAt) < Date.parse(manifest.endAt)) return;
    context.addIssue({
      code: 'custom',
      path: ['endAt'],
      input: manifest.endAt,
      message: `endAt must be after startAt (${manifest.startAt})`,
    });
  });

export const weatherLineSchema = z
  .object({
    receivedAt: utcInstant,
    provider: z.enum(['open-meteo', 'openweathermap']),
    /** HTTP status of the reply. */
    status: z.number().int().min(100).max(599),
    contentType: z.string(),
    /** The body exactly as the provider sent it, e.g. "weather/0001-open-meteo.json". */
    file: pathUnder(WEATHER_DIR),
  })
  .strict();

export const frameLineSchema = z
  .object({
    capturedAt: utcInstant,
    /** A JPEG, e.g. "frames/000001.jpg". */
    file: pathUnder(FRAMES_DIR),
  })
  .strict();

/** The manifest as stored in manifest.json (instants as ISO strings). */
export type DayManifestFile = z.infer<typeof manifestSchema>;

/** The manifest in memory: the same fields, instants as epoch ms. */
export interface DayManifest {
  format: typeof DAY_FORMAT_VERSION;
  place: DayPlace;
  startAt: number;
  endAt: number;
  source: string;
}
export type DayPlace = z.infer<typeof placeSchema>;
export type WeatherLine = z.infer<typeof weatherLineSchema>;
export type FrameLine = z.infer<typeof frameLineSchema>;
export type WeatherProviderId = WeatherLine['provider'];

/** Epoch ms as the format writes it: "2023-07-28T22:00:00.000Z". */
export function toUtcIso(atMs: number): string {
  return new Date(atMs).toISOString();
}

export function manifestFromFile(file: DayManifestFile): DayManifest {
  return { ...file, startAt: Date.parse(file.startAt), endAt: Date.parse(file.endAt) };
}

export function manifestToFile(manifest: DayManifest): DayManifestFile {
  return { ...manifest, startAt: toUtcIso(manifest.startAt), endAt: toUtcIso(manifest.endAt) };
}

/** The first problem of a failed parse, as "field: what was wrong (found value)". */
export function describeZodError(error: z.ZodError): string {
  if (error.issues.length === 0) return 'does not fit the format';
  return error.issues.map(describeIssue).join('; ');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path
    .map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`))
    .join('');
  const field = path.startsWith('.') ? path.slice(1) : path;
  const problem = issue.message.replace(/^Invalid input: /, '');
  const found = 'input' in issue ? ` (found ${preview(issue.input)})` : '';
  return `${field === '' ? '(whole value)' : field}: ${problem}${found}`;
}

function preview(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}...` : text;
}
