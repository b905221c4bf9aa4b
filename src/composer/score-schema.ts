/**
 * The score file's schema: the closed vocabulary a sound artist writes rules in (see
 * docs/score.md). Every key is known; an unknown one is an error, never ignored.
 *
 * Units: gains are linear amplitude (1 plays a stem at its normalised loudness), times are
 * audio seconds, cloud cover is a fraction 0..1, humidity per cent, wind m/s, pressure hPa
 * (sea level).
 */
import { z } from 'zod';
import { reverbSettingsSchema } from './reverb-plan.js';

export const LAYER_NAMES = ['coarse', 'middle', 'fine'] as const;
export const SUN_PHASES = ['night', 'dawn', 'sunrise', 'day', 'golden', 'sunset', 'dusk'] as const;
export const SEASONS = ['spring', 'summer', 'autumn', 'winter'] as const;
/** The direction of the three-hour pressure tendency, whatever its speed. */
export const PRESSURE_TRENDS = ['rising', 'falling', 'steady'] as const;
export const PRECIPITATION_KINDS = ['drizzle', 'rain', 'snow', 'showers', 'thunder', 'hail', 'freezing'] as const;
/** What a fine rule answers: a lone bird (bird.seen), a flock (flock.started), an aircraft (aircraft.seen). */
export const ACCENT_EVENTS = ['bird', 'flock', 'aircraft'] as const;

/** One name or a list of names, always read as a non-empty list. */
function oneOrMore<T extends readonly [string, ...string[]]>(names: T) {
  return z.preprocess((value) => (typeof value === 'string' ? [value] : value), z.array(z.enum(names)).min(1));
}

/**
 * A threshold: a number, or `{ enter, leave }` for hysteresis: `enter` must be crossed for the
 * rule to start, `leave` while the rule is the one playing (so a value hovering at `enter`
 * does not toggle the layer).
 */
function threshold(min: number, max: number, unit: string) {
  const bound = z.number().min(min).max(max);
  return z.preprocess(
    (value) => (typeof value === 'number' ? { enter: value, leave: value } : value),
    z
      .object({ enter: bound, leave: bound }, { error: `expected a number (${unit}) or { enter, leave }` })
      .strict(),
  );
}

export type Threshold = { enter: number; leave: number };

/** Conditions on the world state; every one given must hold. Allowed in every layer. */
const worldConditions = {
  sunPhase: oneOrMore(SUN_PHASES).optional(),
  season: oneOrMore(SEASONS).optional(),
  pressureTrend: oneOrMore(PRESSURE_TRENDS).optional(),
  pressureAtLeast: threshold(800, 1100, 'hPa').optional(),
  pressureAtMost: threshold(800, 1100, 'hPa').optional(),
  coverAtLeast: threshold(0, 1, 'cloud cover 0..1').optional(),
  coverAtMost: threshold(0, 1, 'cloud cover 0..1').optional(),
  precipitating: z.boolean().optional(),
  precipitationKind: oneOrMore(PRECIPITATION_KINDS).optional(),
  foggy: z.boolean().optional(),
  humidityAtLeast: threshold(0, 100, 'per cent').optional(),
  humidityAtMost: threshold(0, 100, 'per cent').optional(),
  windAtLeast: threshold(0, 100, 'm/s').optional(),
  windAtMost: threshold(0, 100, 'm/s').optional(),
  gusty: z.boolean().optional(),
};

/** Conditions only accents have: the event answered and its number of birds. */
const eventConditions = {
  event: oneOrMore(ACCENT_EVENTS).optional(),
  birdsAtLeast: z.number().int().min(1).optional(),
};

export const WORLD_CONDITION_NAMES = Object.keys(worldConditions);
export const EVENT_CONDITION_NAMES = Object.keys(eventConditions);

/** `{ base, perCover }`: base plus perCover times the cloud cover (0.5 while cover is unknown). */
const coverGain = z.object({ base: z.number().min(0).max(2), perCover: z.number().min(-2).max(2) }).strict();
const gain = z.union([z.number().min(0).max(2), coverGain], {
  error: 'expected a gain 0..2 or { base, perCover }',
});

/** What a rule sets; each may be left to the layer's defaults. */
const settings = {
  gain,
  fadeS: z.number().min(0.01).max(600),
  maxVoices: z.number().int().min(1).max(8),
  minHoldS: z.number().min(0).max(86_400),
  repeatWindowS: z.number().min(0).max(86_400),
  /** Voices per whole sky of cloud above the first, up to maxVoices (density.ts); absent: maxVoices always. */
  voicesPerCover: z.number().min(0).max(8).optional(),
};

export const SETTING_NAMES = Object.keys(settings);

const optionalSettings = {
  gain: settings.gain.optional(),
  fadeS: settings.fadeS.optional(),
  maxVoices: settings.maxVoices.optional(),
  minHoldS: settings.minHoldS.optional(),
  repeatWindowS: settings.repeatWindowS.optional(),
  voicesPerCover: settings.voicesPerCover,
};

/**
 * The key centre's brightness a coarse rule asks for when it starts (see harmony.ts): `bright`
 * prefers a major (or lydian, mixolydian) key, `dark` a minor (or dorian, phrygian) one.
 */
export const BRIGHTNESSES = ['bright', 'dark'] as const;

/** `keyCentre`: whether the layer's rules set the key centre (coarse only) and so may give `brightness`. */
function ruleSchema<C extends z.ZodRawShape>(conditions: C, keyCentre = false) {
  return z
    .object({
      name: z.string().min(1).optional(),
      when: z.object(conditions).strict().optional(),
      tags: z.array(z.string().min(1)),
      brightness: z.enum(BRIGHTNESSES).optional(),
      ...optionalSettings,
    })
    .strict()
    .superRefine((rule, context) => {
      checkThresholds((rule.when ?? {}) as Record<string, Threshold | undefined>, context);
      if (!keyCentre && rule.brightness !== undefined) {
        const message = 'only coarse rules set the key centre and its brightness';
        context.addIssue({ code: 'custom', path: ['brightness'], input: rule.brightness, message });
      }
    });
}

function layerSchema<C extends z.ZodRawShape>(conditions: C, keyCentre = false) {
  return z
    .object({ defaults: z.object(settings).strict(), rules: z.array(ruleSchema(conditions, keyCentre)) })
    .strict();
}

/** A whole score: the three layers, each with its defaults and ordered rules. */
export const scoreFileSchema = z
  .object({
    coarse: layerSchema(worldConditions, true),
    middle: layerSchema(worldConditions),
    fine: layerSchema({ ...worldConditions, ...eventConditions }),
    reverb: reverbSettingsSchema.optional(),
  })
  .strict();

export type ScoreFile = z.infer<typeof scoreFileSchema>;
export type ScoreLayerName = (typeof LAYER_NAMES)[number];
export type LayerSettings = ScoreFile['coarse']['defaults'];
export type Gain = LayerSettings['gain'];
export type WorldConditions = NonNullable<ScoreFile['coarse']['rules'][number]['when']>;
export type Conditions = NonNullable<ScoreFile['fine']['rules'][number]['when']>;

/** Hysteresis must widen the band once inside: leave below enter for AtLeast, above for AtMost. */
function checkThresholds(when: Record<string, Threshold | undefined>, context: z.RefinementCtx): void {
  for (const [name, value] of Object.entries(when)) {
    if (!value || typeof value !== 'object' || !('enter' in value)) continue;
    const atLeast = name.endsWith('AtLeast');
    const wrongWay = atLeast ? value.leave > value.enter : value.leave < value.enter;
    if (!wrongWay) continue;
    context.addIssue({
      code: 'custom',
      path: ['when', name],
      input: value,
      message: `leave must be ${atLeast ? 'at most' : 'at least'} enter, so that the rule holds once it plays`,
    });
  }
}
