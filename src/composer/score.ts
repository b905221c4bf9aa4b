/**
 * The score as the composer reads it: per layer, defaults and ordered rules (first match
 * wins), loaded from a YAML file a sound artist edits (score-load.ts, docs/score.md).
 * Matching is a pure function of the world state, the instant, the rule in force and (for
 * accents) the event: the same inputs always pick the same rule.
 */
import type { Layer } from '../audio/stem-manifest.js';
import type { ReverbSettings } from './reverb-plan.js';
import type { Conditions, Gain, LayerSettings, Threshold } from './score-schema.js';
import type { Brightness } from './keys.js';
import type { WorldState } from './world.js';

/** One rule with every setting filled in from its layer's defaults. Times are audio seconds. */
export interface ScoreRule extends LayerSettings {
  layer: Layer;
  /** Position in its layer, from 0. */
  index: number;
  /** `middle rule 3 ("overcast")`, for logs and messages (counted from 1). */
  label: string;
  when: Conditions;
  /** Stem tags wanted, most wanted first: the first that some stem carries is played; none: rest. */
  tags: string[];
  /** The key centre's brightness this rule asks for when it starts (coarse only); null: from the world. */
  brightness: Brightness | null;
}

export interface ScoreLayer {
  /** Settings of a rule that leaves them out, and of the rest when no rule matches. */
  defaults: LayerSettings;
  rules: ScoreRule[];
}

export interface Score {
  /** The file the score was read from. */
  source: string;
  layers: Record<Layer, ScoreLayer>;
  /** The room reverb's wet level from humidity and fog; null: the choir stays dry. */
  reverb: ReverbSettings | null;
}

/** An event a fine rule may answer, with its number of birds (null for an aircraft). */
export interface AccentEvent {
  kind: 'bird' | 'flock' | 'aircraft';
  birds: number | null;
}

/**
 * The first rule of `layer` whose conditions all hold, or null. `inForce` is the rule the
 * layer plays now: its thresholds are read at their `leave` values (hysteresis), every other
 * rule's at `enter`.
 */
export function matchRule(
  layer: ScoreLayer,
  world: WorldState,
  atMs: number,
  inForce: ScoreRule | null,
  event?: AccentEvent,
): ScoreRule | null {
  return layer.rules.find((rule) => conditionsHold(rule.when, world, atMs, rule === inForce, event)) ?? null;
}

/** Whether every condition given holds; a condition on something unknown does not. */
export function conditionsHold(
  when: Conditions,
  world: WorldState,
  atMs: number,
  inForce: boolean,
  event?: AccentEvent,
): boolean {
  const atLeast = (value: number | null, bound: Threshold | undefined) =>
    bound === undefined || (value !== null && value >= (inForce ? bound.leave : bound.enter));
  const atMost = (value: number | null, bound: Threshold | undefined) =>
    bound === undefined || (value !== null && value <= (inForce ? bound.leave : bound.enter));
  const oneOf = (value: string | null, names: readonly string[] | undefined) =>
    names === undefined || (value !== null && names.includes(value));
  const flag = (value: boolean, wanted: boolean | undefined) => wanted === undefined || value === wanted;

  const cover = when.coverAtLeast || when.coverAtMost ? world.cloudCover(atMs) : null;
  return (
    oneOf(world.sunPhase, when.sunPhase) &&
    oneOf(when.season ? world.season(atMs) : null, when.season) &&
    oneOf(pressureDirection(world), when.pressureTrend) &&
    atLeast(world.pressureHpa, when.pressureAtLeast) &&
    atMost(world.pressureHpa, when.pressureAtMost) &&
    atLeast(cover, when.coverAtLeast) &&
    atMost(cover, when.coverAtMost) &&
    flag(world.precipitating, when.precipitating) &&
    oneOf(world.precipitating ? String(world.precipitationKind ?? 'rain') : null, when.precipitationKind) &&
    flag(world.foggy, when.foggy) &&
    atLeast(world.humidityPercent, when.humidityAtLeast) &&
    atMost(world.humidityPercent, when.humidityAtMost) &&
    atLeast(world.windSpeedMs, when.windAtLeast) &&
    atMost(world.windSpeedMs, when.windAtMost) &&
    flag(world.gusty, when.gusty) &&
    oneOf(event?.kind ?? null, when.event) &&
    (when.birdsAtLeast === undefined || (event?.birds ?? 0) >= when.birdsAtLeast)
  );
}

/** A rule's gain now: a constant, or base + perCover × cloud cover (0.5 while unknown). Never below 0. */
export function gainOf(gain: Gain, world: WorldState, atMs: number): number {
  if (typeof gain === 'number') return gain;
  return Math.max(0, gain.base + gain.perCover * (world.cloudCover(atMs) ?? 0.5));
}

/** rising, falling or steady from the three-hour tendency class; null until one is known. */
function pressureDirection(world: WorldState): string | null {
  const tendency = world.pressureTendency;
  if (tendency === null) return null;
  return tendency === 'steady' ? 'steady' : tendency.startsWith('rising') ? 'rising' : 'falling';
}
