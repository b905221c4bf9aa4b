/**
 * Wind sets slow movement: a middle-layer texture drifts back and forth in the stereo field,
 * wider and a little quicker in more wind, not at all in calm. A pure function of the wind and
 * the voice: the same wind always gives the same drift.
 */
import type { PanSway } from '../audio/pan-path.js';
import type { Voice } from '../audio/plan.js';

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
 * 60 s less 2 s per m/s (at least 24 s, an even number of frames, so that the sway passes its
 * centre on whole frames). Voices with odd ids move right first, even ids left, so two textures
 * drift apart rather than together.
 */
export function windSway(windMs: number | null, voiceId: number, framesPerSecond: number): PanSway | undefined {
  if (windMs === null || windMs < CALM_WIND_MS) return undefined;
  const width = Math.min(MAX_WIDTH, WIDTH_PER_MS * windMs);
  const periodS = Math.max(QUICKEST_PERIOD_S, SLOWEST_PERIOD_S - PERIOD_S_PER_MS * windMs);
  return { width: voiceId % 2 === 1 ? width : -width, periodFrames: 2 * Math.round((periodS * framesPerSecond) / 2) };
}

/** Retunes smaller than these (pan units of width, audio seconds of period) are left out: the wind's small changes do not churn the plan. */
const RETUNE_WIDTH = 0.04;
const RETUNE_PERIOD_S = 2;

/**
 * Retunes a playing texture's sway to `windMs` (calm: still) from the first frame at or after
 * `frame` where its sway in force passes its centre, continuing in the direction it moves
 * there, so the position turns or changes speed but never steps. Leaves the voice alone when
 * the width would change by less than 0.04 and the period by less than 2 s. Returns whether
 * it changed.
 */
export function retuneSway(voice: Voice, windMs: number | null, frame: number, framesPerSecond: number): boolean {
  const wanted = windSway(windMs, voice.id, framesPerSecond) ?? { width: 0, periodFrames: 0 };
  const sway = voice.panSway ?? { width: 0, periodFrames: 0 };
  // A retune planned for later than `frame` is planned again from what is in force now.
  const changes = (sway.changes ?? []).filter((change) => change.fromFrame <= frame);
  const dropped = changes.length !== (sway.changes?.length ?? 0);
  const last = changes.at(-1) ?? { fromFrame: voice.startFrame, width: sway.width, periodFrames: sway.periodFrames };
  const still = last.width === 0 || last.periodFrames <= 0;
  const same = still
    ? wanted.width === 0
    : Math.abs(Math.abs(last.width) - Math.abs(wanted.width)) < RETUNE_WIDTH &&
      Math.abs(last.periodFrames - wanted.periodFrames) < RETUNE_PERIOD_S * framesPerSecond;
  if (same) {
    if (dropped) voice.panSway = { ...sway, changes };
    return dropped;
  }

  // A still sway is at its centre everywhere; a moving one every half period from where it took over.
  const from = Math.max(frame, last.fromFrame);
  const half = last.periodFrames / 2;
  const crossings = still ? 0 : Math.ceil((from - last.fromFrame) / half);
  const fromFrame = still ? from : last.fromFrame + crossings * half;
  const direction = still ? Math.sign(wanted.width) : Math.sign(last.width) * (crossings % 2 === 0 ? 1 : -1);
  voice.panSway = { ...sway, changes: [...changes, { fromFrame, width: wanted.width === 0 ? 0 : direction * Math.abs(wanted.width), periodFrames: wanted.periodFrames }] };
  return true;
}
