import type { Layer } from '../audio/stem-manifest.js';
import type { WorldState } from './world.js';

/**
 * How each layer behaves: which stem tags it asks for in a given world, how loud,
 * how it fades and how long a choice must last. Times are audio seconds.
 *
 * This first score is in code; a sound artist's YAML score will replace it with the
 * same shape (wanted tags, gains, fades, holds).
 */
export interface LayerRule {
  layer: Exclude<Layer, 'fine'>;
  /**
   * Tags wanted now, most important first; an empty list means the layer rests.
   * `currentTag` is what the layer plays now ('' while resting), for hysteresis.
   */
  wantedTags(world: WorldState, atMs: number, currentTag: string): string[];
  /** How many stems play together in this layer at most. */
  maxVoices: number;
  gain(world: WorldState, atMs: number): number;
  fadeS: number;
  /** A choice stays at least this long before the layer may change again. */
  minHoldS: number;
}

export interface AccentRule {
  /** Tags for a bird count: one bird, or a flock from `flockSize` birds in one frame. */
  tagFor(count: number): string;
  flockSize: number;
  gain: number;
  /** Accents closer together than this (audio seconds) are dropped, to avoid a clatter. */
  minSpacingS: number;
}

export const COARSE_RULE: LayerRule = {
  layer: 'coarse',
  wantedTags: (world) => (world.sunPhase ? [world.sunPhase] : ['day']),
  maxVoices: 2,
  gain: () => 0.7,
  fadeS: 12,
  minHoldS: 30,
};

export const MIDDLE_RULE: LayerRule = {
  layer: 'middle',
  wantedTags: (world, atMs, currentTag) => {
    if (world.precipitating) return [String(world.precipitationKind ?? 'rain'), 'rain', 'drizzle'];

    const cover = world.cloudCover(atMs);
    if (cover === null) return [];

    // Bands with hysteresis: a sky hovering at a threshold does not toggle the texture.
    const overcastFrom = currentTag === 'overcast' ? 0.6 : 0.75;
    const clearUpTo = currentTag === 'clear' ? 0.45 : 0.3;
    if (cover >= overcastFrom) return ['overcast', 'fog'];
    if (cover <= clearUpTo) return ['clear', 'cirrus'];
    return [];
  },
  maxVoices: 1,
  gain: (world, atMs) => 0.35 + 0.3 * (world.cloudCover(atMs) ?? 0.5),
  fadeS: 6,
  minHoldS: 10,
};

export const ACCENT_RULE: AccentRule = {
  tagFor: (count) => (count >= 3 ? 'flock' : 'bird'),
  flockSize: 3,
  gain: 0.9,
  minSpacingS: 2,
};
