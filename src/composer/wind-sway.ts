/**
 * Wind sets slow movement: a middle-layer texture drifts back and forth in the stereo field,
 * wider and a little quicker in more wind, not at all in calm. A pure function of the wind and
 * the voice: the same wind always gives the same drift.
 */
import type { PanSway } from '../audio/pan-path.js';

/** Below this mean wind (m/s) the air is calm enough that textures stand still. */
export const CALM_WIND_MS = 1.5;
/** Pan units either side per m/s of wind, and the widest drift (reached at 12.5 m/s). */
const WIDTH_PER_MS = 0.04;
const MAX_WIDTH = 0.5;
/** One left-right-left cycle takes this long in calm air, less in wind (audio seconds). */
const SLOWEST_PERIOD_S = 60;
const QUICKEST_PERIOD_S = 24;
const PERIOD_S_PER_MS = 2;

/**
 * The sway of a texture started in `windMs` (null: unknown, taken as calm): none below
 * CALM_WIND_MS, else 0.04 pan units per m/s either side (at most 0.5) over a period of
 * 60 s less 2 s per m/s (at least 24 s). Voices with odd ids move right first, even ids left,
 * so two textures drift apart rather than together.
 */
export function windSway(windMs: number | null, voiceId: number, framesPerSecond: number): PanSway | undefined {
  if (windMs === null || windMs < CALM_WIND_MS) return undefined;
  const width = Math.min(MAX_WIDTH, WIDTH_PER_MS * windMs);
  const periodS = Math.max(QUICKEST_PERIOD_S, SLOWEST_PERIOD_S - PERIOD_S_PER_MS * windMs);
  return { width: voiceId % 2 === 1 ? width : -width, periodFrames: Math.round(periodS * framesPerSecond) };
}
