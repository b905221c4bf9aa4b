/**
 * Cloud cover sets density: a layer whose settings give `voicesPerCover` plays more voices
 * under more cloud, up to its `maxVoices`. Pure functions of the settings and the cover.
 */

/** The settings density reads (see score-schema.ts). */
export interface DensitySettings {
  maxVoices: number;
  /** Voices added per whole sky of cloud (cover 0..1) above the first; absent: always maxVoices. */
  voicesPerCover?: number | undefined;
}

/** Cover taken while it is unknown, as gains take it. */
const UNKNOWN_COVER = 0.5;

/**
 * Cover (0..1) a change of density must clear past the point where the count changes, so that
 * a cover hovering there does not add and drop a voice at every update.
 */
export const DENSITY_HYSTERESIS = 0.05;

/**
 * Voices wanted at `cover` (null: unknown, taken as 0.5): without `voicesPerCover`,
 * `maxVoices`; with it, 1 + floor(voicesPerCover × cover), at most `maxVoices`.
 */
export function voicesFor(settings: DensitySettings, cover: number | null): number {
  if (settings.voicesPerCover === undefined) return settings.maxVoices;
  const extra = Math.floor(settings.voicesPerCover * (cover ?? UNKNOWN_COVER) + 1e-9);
  return Math.max(1, Math.min(settings.maxVoices, 1 + extra));
}

/**
 * The count a layer playing `playing` voices moves to at `cover`: the wanted count once the
 * cover is DENSITY_HYSTERESIS past the point where it changes, else `playing`.
 */
export function densityAt(settings: DensitySettings, cover: number | null, playing: number): number {
  if (settings.voicesPerCover === undefined || cover === null) return playing;
  const wanted = voicesFor(settings, cover);
  if (wanted > playing) return Math.max(playing, voicesFor(settings, cover - DENSITY_HYSTERESIS));
  if (wanted < playing) return Math.min(playing, voicesFor(settings, cover + DENSITY_HYSTERESIS));
  return playing;
}
