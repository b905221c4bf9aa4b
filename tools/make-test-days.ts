/**
 * Builds recorded days for tests and demos from the team's shared inputs, in the format of
 * docs/days.md. The day's own files are the only record of what was chosen.
 *
 *   node --import tsx tools/make-test-days.ts [outDir]     (default: days/)
 *
 * The weather is a real Open-Meteo archive reply for Bruges, 2023-07-29 (CC BY 4.0, "Weather
 * data by Open-Meteo.com"), stored byte for byte as one reply received at the day's start.
 * The frames are CCSN photographs (CC0), chosen deterministically by the reported weather of
 * their hour: see {@link choosePhoto}, the one place that decides. The photographs are
 * daytime pictures, so the night frames of the day are not dark; a known shortcoming.
 */
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DayRecorder } from '../src/days/recorder.js';
import type { WeatherObservation } from '../src/weather/observation.js';
import { observationAt, parseOpenMeteo } from '../src/weather/open-meteo.js';
import { isFalling } from '../src/weather/derived.js';

const REPO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_SHARED_DIR = resolve(REPO_DIR, '../shared');
const REPLY_FILE = 'weather/open-meteo/archive-bruges-2023-07-29-hourly.json';
const CCSN_DIR = 'data/ccsn';
const MINUTE_MS = 60_000;

export const BRUGES_DAY_NAME = 'bruges-2023-07-29';
export const TINY_DAY_NAME = 'bruges-2023-07-29-tiny';

const BRUGES = { name: 'Bruges', latitude: 51.2, longitude: 3.2, timezone: 'Europe/Brussels' };

/** 2023-07-29 in Bruges is CEST, UTC+2: local 00:00 is 22:00Z the day before. */
function brugesLocal(hhmm: string): number {
  return Date.parse(`2023-07-29T${hhmm}:00+02:00`);
}

/** Photographs that show birds: only ever placed at a day's bird instants. */
const BIRD_PHOTOS = ['Ac/Ac-N214.jpg', 'Cs/Cs-N248.jpg', 'Ci/Ci-N041.jpg', 'Cc/Cc-N062.jpg'];
/** Bird-like shapes that are not birds (a weathervane, a tree): kept out of every day. */
const FALSE_POSITIVE_PHOTOS = ['Cb/Cb-N106.jpg', 'Cs/Cs-N206.jpg'];
const NEVER_AS_SKY = new Set([...BIRD_PHOTOS, ...FALSE_POSITIVE_PHOTOS]);

type Genus = 'Ac' | 'As' | 'Cc' | 'Ci' | 'Cs' | 'Cu' | 'Ns' | 'Sc' | 'St';

/** Sky photographs by genus (sorted file names, relative to the CCSN folder), birds excluded. */
export type Catalogue = Map<Genus, string[]>;

export interface BuildOptions {
  /** Minutes between frames (default 10 for the full day, 5 for the tiny one). */
  frameEveryMin?: number;
  /** The team's shared folder (default: ../shared from the repository). */
  sharedDir?: string;
  /** Called after each frame is written. */
  onProgress?: (framesDone: number, framesTotal: number) => void;
}

interface DaySpec {
  name: string;
  startAt: number;
  endAt: number;
  frameEveryMin: number;
  /** Instant → bird photograph; each must fall in a different frame slot. */
  birds: ReadonlyMap<number, string>;
  source: string;
}

const SOURCE_NOTE =
  'Built by tools/make-test-days.ts. Weather: Open-Meteo archive reply for Bruges 2023-07-29 ' +
  '(CC BY 4.0, Weather data by Open-Meteo.com). Frames: CCSN cloud photographs (CC0 1.0, ' +
  'Zhang et al. 2018), chosen by the hour\'s cloud layers and weather code.';

/**
 * Builds the whole day 2023-07-29 00:00-24:00 Europe/Brussels (22:00Z to 22:00Z) in
 * `outDir/bruges-2023-07-29`, replacing an earlier build there. Birds at 18:40, 19:20 and
 * 20:10 local. Returns the day's folder.
 */
export async function buildBrugesDay(outDir: string, options: BuildOptions = {}): Promise<string> {
  return buildDay(outDir, options, {
    name: BRUGES_DAY_NAME,
    startAt: brugesLocal('00:00'),
    endAt: brugesLocal('00:00') + 24 * 60 * MINUTE_MS,
    frameEveryMin: options.frameEveryMin ?? 10,
    birds: new Map([
      [brugesLocal('18:40'), 'Ac/Ac-N214.jpg'],
      [brugesLocal('19:20'), 'Cs/Cs-N248.jpg'],
      [brugesLocal('20:10'), 'Cc/Cc-N062.jpg'],
    ]),
    source: SOURCE_NOTE,
  });
}

/**
 * Builds a two-hour day, 17:00-19:00 local on 2023-07-29 (the drizzle stops at 18:00), with
 * frames every 5 minutes and one bird at 18:40, in `outDir/bruges-2023-07-29-tiny`.
 * Returns the day's folder.
 */
export async function buildTinyDay(outDir: string, options: BuildOptions = {}): Promise<string> {
  return buildDay(outDir, options, {
    name: TINY_DAY_NAME,
    startAt: brugesLocal('17:00'),
    endAt: brugesLocal('19:00'),
    frameEveryMin: options.frameEveryMin ?? 5,
    birds: new Map([[brugesLocal('18:40'), 'Ac/Ac-N214.jpg']]),
    source: `${SOURCE_NOTE} A two-hour excerpt for fast tests.`,
  });
}

async function buildDay(outDir: string, options: BuildOptions, spec: DaySpec): Promise<string> {
  if (!(spec.frameEveryMin > 0)) {
    throw new RangeError(`frameEveryMin must be positive, got ${spec.frameEveryMin}`);
  }
  const sharedDir = options.sharedDir ?? DEFAULT_SHARED_DIR;
  const dayDir = join(outDir, spec.name);

  const body = await readFile(join(sharedDir, REPLY_FILE));
  const reply = parseOpenMeteo(body.toString('utf8'));
  const catalogue = await readCatalogue(join(sharedDir, CCSN_DIR));
  const slots = frameSlots(spec);

  await removeEarlierBuild(dayDir);
  const recorder = await DayRecorder.create(dayDir, {
    format: 1,
    place: BRUGES,
    startAt: spec.startAt,
    endAt: spec.endAt,
    source: spec.source,
  });
  await recorder.addWeatherReply({
    receivedAt: spec.startAt,
    provider: 'open-meteo',
    status: 200,
    contentType: 'application/json',
    body,
  });

  for (const [index, slot] of slots.entries()) {
    const photo = slot.bird ?? choosePhoto(slot.atMs, observationAt(reply, slot.atMs), catalogue);
    const jpeg = await readFile(join(sharedDir, CCSN_DIR, photo));
    await recorder.addFrame({ capturedAt: slot.atMs, jpeg });
    options.onProgress?.(index + 1, slots.length);
  }

  await recorder.close();
  return dayDir;
}

/** Frame instants from start (inclusive) to end (exclusive), each with its bird if it has one. */
function frameSlots(spec: DaySpec): { atMs: number; bird: string | null }[] {
  const stepMs = spec.frameEveryMin * MINUTE_MS;
  const slots: { atMs: number; bird: string | null }[] = [];
  for (let atMs = spec.startAt; atMs < spec.endAt; atMs += stepMs) slots.push({ atMs, bird: null });

  for (const [birdAt, photo] of spec.birds) {
    const slot = slots.find(({ atMs }) => birdAt >= atMs && birdAt < atMs + stepMs);
    if (!slot) {
      throw new RangeError(`bird instant ${new Date(birdAt).toISOString()} is outside the day`);
    }
    if (slot.bird) {
      throw new RangeError(`frames every ${spec.frameEveryMin} min put two birds in one frame`);
    }
    slot.bird = photo;
  }
  return slots;
}

/**
 * The photograph for a frame at `atMs` under `observation` (null: nothing known), as a path
 * relative to the CCSN folder. Genera by the hour's weather:
 *
 * - precipitation falling (rate > 0 or a precipitating code): St, Ns (stratus, nimbostratus);
 * - low or mid cloud at 40% or more: Sc, St, As (a low deck thickening);
 * - high cloud at 40% or more: Ci, Cs;
 * - otherwise (little cloud, or nothing known): Cu, Ci.
 *
 * Within those, the photograph is picked by a hash of the frame's minute, so the same day
 * is rebuilt identically. Bird photographs and named false positives are never chosen.
 */
export function choosePhoto(
  atMs: number,
  observation: WeatherObservation | null,
  catalogue: Catalogue,
): string {
  const genera = generaFor(observation);
  const hash = hashMinute(atMs);
  const genus = genera[hash % genera.length]!;
  const photos = catalogue.get(genus) ?? [];
  if (photos.length === 0) throw new Error(`no CCSN photographs for genus ${genus}`);
  return photos[Math.floor(hash / genera.length) % photos.length]!;
}

function generaFor(observation: WeatherObservation | null): readonly Genus[] {
  if (!observation) return ['Cu', 'Ci'];
  if (isFalling(observation)) return ['St', 'Ns'];

  const { low, mid, high } = observation.cloudCover;
  if ((low ?? 0) >= 0.4 || (mid ?? 0) >= 0.4) return ['Sc', 'St', 'As'];
  if ((high ?? 0) >= 0.4) return ['Ci', 'Cs'];
  return ['Cu', 'Ci'];
}

/** A well-mixed 32-bit hash of the minute (a splitmix-style finaliser). */
function hashMinute(atMs: number): number {
  let x = Math.floor(atMs / MINUTE_MS) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

export async function readCatalogue(ccsnDir: string): Promise<Catalogue> {
  const genera: Genus[] = ['Ac', 'As', 'Cc', 'Ci', 'Cs', 'Cu', 'Ns', 'Sc', 'St'];
  const catalogue: Catalogue = new Map();
  for (const genus of genera) {
    const names = (await readdir(join(ccsnDir, genus))).filter((name) => name.endsWith('.jpg'));
    const photos = names.sort().map((name) => `${genus}/${name}`);
    catalogue.set(genus, photos.filter((photo) => !NEVER_AS_SKY.has(photo)));
  }
  return catalogue;
}

/** Removes an earlier build of the day; refuses to remove a folder that is not a day. */
async function removeEarlierBuild(dayDir: string): Promise<void> {
  const exists = await stat(dayDir).then(
    () => true,
    () => false,
  );
  if (!exists) return;

  const isDay = await stat(join(dayDir, 'manifest.json')).then(
    () => true,
    () => false,
  );
  if (!isDay) throw new Error(`${dayDir} exists and is not a recorded day; not replacing it`);
  await rm(dayDir, { recursive: true });
}

async function main(): Promise<void> {
  const outDir = resolve(process.argv[2] ?? join(REPO_DIR, 'days'));
  let lastPercent = -1;
  const dayDir = await buildBrugesDay(outDir, {
    onProgress: (done, total) => {
      const percent = Math.floor((done / total) * 10) * 10;
      if (percent === lastPercent) return;
      lastPercent = percent;
      process.stdout.write(`${BRUGES_DAY_NAME}: ${done}/${total} frames (${percent}%)\n`);
    },
  });
  process.stdout.write(`built ${dayDir}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`make-test-days: ${message}\n`);
    process.exitCode = 1;
  });
}
