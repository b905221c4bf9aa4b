/**
 * The golden-render scenarios as small recorded days (docs/days.md), built from the shared
 * inputs into a folder of the caller's: dawn under a clear sky, a flock at noon, drizzle at
 * dusk, a pressure fall. Each is a stretch of 2023-07-29 in Bruges (CEST, UTC+2) with one
 * Open-Meteo reply at its start, in the shape the archive sends: the real Bruges archive
 * reply with the scenario's hourly rows rewritten (cloud, precipitation, weather code,
 * pressure), so the project's own parser reads it. Frames are CCSN photographs (CC0) chosen
 * by tools/make-test-days.ts's rule for the hour's weather; the flock is five real bird
 * crops flying across an enlarged CCSN sky, one frame a second, as test/vision/flock-scene
 * builds it, so the real motion gate, detector and tracker find it.
 *
 * Building is deterministic: the same shared inputs give the same files, byte for byte.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { DayRecorder } from '../src/days/recorder.js';
import { observationAt, parseOpenMeteo } from '../src/weather/open-meteo.js';
import type { RgbFrame } from '../src/vision/rgb-frame.js';
import { addNoise, copyFrame, cutBird, pasteBird } from './sky-scene.js';
import { choosePhoto, readCatalogue } from './make-test-days.js';

const REPLY_FILE = 'weather/open-meteo/archive-bruges-2023-07-29-hourly.json';
const MINUTE_MS = 60_000;
const BRUGES = { name: 'Bruges', latitude: 51.2, longitude: 3.2, timezone: 'Europe/Brussels' };

/** An instant of 2023-07-29 in Bruges, from local `hh:mm` or `hh:mm:ss`. */
export function brugesAt(local: string): number {
  return Date.parse(`2023-07-29T${local.length === 5 ? `${local}:00` : local}+02:00`);
}

/** Rewrites of one local hour's row of the reply (Open-Meteo field names and units). */
type HourRow = Partial<Record<'cloudcover' | 'cloudcover_low' | 'cloudcover_mid' | 'cloudcover_high' | 'precipitation' | 'rain' | 'weathercode' | 'pressure_msl', number>>;

export interface GoldenScenario {
  name: string;
  /** What the scenario shows, in words. */
  about: string;
  /** Local start and end (`hh:mm`). */
  from: string;
  to: string;
  /** Sky seconds per audio second; the render lasts (to - from) / speed. */
  speed: number;
  frameEveryMin: number;
  /** The row of each local hour (0..23) of the reply. */
  weather: (hour: number) => HourRow;
  /** Local instant (`hh:mm`) of a flock crossing the frame, if any. */
  flockAt?: string;
}

export const GOLDEN_SCENARIOS: readonly GoldenScenario[] = [
  {
    name: 'dawn-clear',
    about: 'night into dawn under a clear sky',
    from: '03:00', to: '07:00', speed: 360, frameEveryMin: 10,
    weather: () => ({ cloudcover: 0, cloudcover_low: 0, cloudcover_mid: 0, cloudcover_high: 0, precipitation: 0, rain: 0, weathercode: 0 }),
  },
  {
    name: 'flock-noon',
    about: 'a flock of five crossing a clear noon sky',
    from: '11:30', to: '12:30', speed: 120, frameEveryMin: 5, flockAt: '12:00',
    weather: () => ({ cloudcover: 5, cloudcover_low: 0, cloudcover_mid: 0, cloudcover_high: 5, precipitation: 0, rain: 0, weathercode: 0 }),
  },
  {
    name: 'drizzle-dusk',
    about: 'drizzle from the golden hour into dusk under a low deck',
    from: '19:30', to: '22:30', speed: 300, frameEveryMin: 10,
    weather: (hour) => ({
      cloudcover: 100, cloudcover_low: 100, cloudcover_mid: 60, cloudcover_high: 20,
      ...(hour >= 21 ? { precipitation: 0.2, rain: 0.2, weathercode: 51 } : { precipitation: 0, rain: 0, weathercode: 3 }),
    }),
  },
  {
    name: 'pressure-fall',
    about: 'pressure falling fast from late morning as cloud thickens',
    from: '10:00', to: '15:00', speed: 600, frameEveryMin: 10,
    weather: (hour) => {
      const falling = Math.max(0, hour - 10);
      return {
        pressure_msl: 1018 - 2.5 * falling,
        cloudcover: Math.min(100, 20 + 20 * falling), cloudcover_low: Math.min(100, 20 * falling),
        cloudcover_mid: Math.min(100, 10 + 20 * falling), cloudcover_high: 30,
        precipitation: 0, rain: 0, weathercode: falling >= 3 ? 3 : 2,
      };
    },
  },
];

/** Builds `scenario` into `outDir/<name>` (replacing it) and returns the day's folder. */
export async function buildGoldenDay(outDir: string, scenario: GoldenScenario, sharedDir: string): Promise<string> {
  const dayDir = join(outDir, scenario.name);
  await rm(dayDir, { recursive: true, force: true });
  const startAt = brugesAt(scenario.from);
  const endAt = brugesAt(scenario.to);
  const body = await scenarioReply(join(sharedDir, REPLY_FILE), scenario);
  const reply = parseOpenMeteo(body);

  const recorder = await DayRecorder.create(dayDir, {
    format: 1,
    place: BRUGES,
    startAt,
    endAt,
    source:
      `Built by tools/golden-days.ts: golden scenario "${scenario.name}" (${scenario.about}). Weather: the Open-Meteo ` +
      'archive reply for Bruges 2023-07-29 (CC BY 4.0, Weather data by Open-Meteo.com) with hourly rows rewritten. ' +
      'Frames: CCSN cloud photographs (CC0 1.0, Zhang et al. 2018).',
  });
  await recorder.addWeatherReply({ receivedAt: startAt, provider: 'open-meteo', status: 200, contentType: 'application/json', body });

  const flock = scenario.flockAt ? await flockFrames(sharedDir, brugesAt(scenario.flockAt)) : [];
  const catalogue = flock.length === 0 ? await readCatalogue(join(sharedDir, 'data/ccsn')) : null;
  const sky = flock.length > 0 ? await enlargedSky(sharedDir) : null;
  const frames: Array<{ capturedAt: number; jpeg: Buffer }> = [...flock];
  for (let at = startAt, index = 0; at < endAt; at += scenario.frameEveryMin * MINUTE_MS, index++) {
    if (flock.some((frame) => Math.abs(frame.capturedAt - at) < 30_000)) continue;
    const jpeg = sky
      ? await noisyJpeg(sky, 1000 + index)
      : await readFile(join(sharedDir, 'data/ccsn', choosePhoto(at, observationAt(reply, at), catalogue!)));
    frames.push({ capturedAt: at, jpeg });
  }
  frames.sort((a, b) => a.capturedAt - b.capturedAt);
  for (const frame of frames) await recorder.addFrame(frame);
  await recorder.close();
  return dayDir;
}

/** The Bruges archive reply with the scenario's rows written over it, as JSON text. */
async function scenarioReply(path: string, scenario: GoldenScenario): Promise<string> {
  const reply = JSON.parse(await readFile(path, 'utf8')) as { hourly: Record<string, unknown[]> };
  const hours = reply.hourly.time!.length;
  for (let hour = 0; hour < hours; hour++) {
    for (const [field, value] of Object.entries(scenario.weather(hour))) {
      const column = reply.hourly[field];
      if (!column) throw new Error(`the archive reply has no hourly "${field}"`);
      column[hour] = value;
    }
  }
  return JSON.stringify(reply);
}

/** Flock geometry as in test/vision/flock-scene.test.ts: pixels of the 672 px frame. */
const SCALE = 3;
const VELOCITY = { x: 14 * SCALE, y: -4 * SCALE };
const FORMATION = [[0, 0, 0], [-20, 12, 1], [-34, -10, 2], [18, 16, 0], [-10, -24, 1]] as const;
const FLOCK_FRAMES = 8;

/** Two empty frames, eight with the flock crossing, six empty: one a second from `at` - 2 s. */
async function flockFrames(sharedDir: string, at: number): Promise<Array<{ capturedAt: number; jpeg: Buffer }>> {
  const sky = await enlargedSky(sharedDir);
  const sprites = [
    await cutBird('Ac/Ac-N214', 0.2, 0.155),
    await cutBird('Cs/Cs-N248', 0.135, 0.625),
    await cutBird('Ci/Ci-N041', 0.115, 0.15),
  ];
  const frames: Array<{ capturedAt: number; jpeg: Buffer }> = [];
  for (let index = 0; index < 2 + FLOCK_FRAMES + 6; index++) {
    const frame = copyFrame(sky);
    const step = index - 2;
    if (step >= 0 && step < FLOCK_FRAMES) {
      const leader = { x: 150 + VELOCITY.x * step, y: 360 + VELOCITY.y * step };
      for (const [dx, dy, sprite] of FORMATION) pasteBird(frame, sprites[sprite]!, leader.x + dx, leader.y + dy);
    }
    frames.push({ capturedAt: at + (index - 2) * 1000, jpeg: await noisyJpeg(frame, index + 1) });
  }
  return frames;
}

/** CCSN Cs-N239 enlarged three times (672 px square), the flock test's sky. */
async function enlargedSky(sharedDir: string): Promise<RgbFrame> {
  const { data, info } = await sharp(join(sharedDir, 'data/ccsn/Cs/Cs-N239.jpg'))
    .resize(224 * SCALE, 224 * SCALE)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { rgb: new Uint8Array(data), width: info.width, height: info.height };
}

/** A copy of `frame` with seeded sensor noise, as a JPEG (quality 95). */
async function noisyJpeg(frame: RgbFrame, seed: number): Promise<Buffer> {
  const noisy = copyFrame(frame);
  addNoise(noisy, 2, seed);
  return sharp(Buffer.from(noisy.rgb), { raw: { width: noisy.width, height: noisy.height, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
}
