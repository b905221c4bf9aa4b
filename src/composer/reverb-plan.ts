import { z } from 'zod';
import { LevelPathReader, type EnvelopePoint } from '../audio/envelope.js';
import type { WorldState } from './world.js';

/**
 * The score's `reverb` section: how wet the air makes the choir sound. The wet level (a linear
 * gain on the room reverb, 0 = dry) is `base`, plus `humidityAdds` scaled over the relative
 * humidity from `humidityFrom` to `humidityTo` percent, plus `fogAdds` while there is fog, at
 * most `max`. A change ramps over `rampS` seconds of audio.
 */
export const reverbSettingsSchema = z
  .object({
    base: z.number().min(0).max(1).describe('Wet level in dry, clear air.'),
    humidityFrom: z.number().min(0).max(100).describe('Relative humidity (%) where humidity starts to add reverb.'),
    humidityTo: z.number().min(0).max(100).describe('Relative humidity (%) where it adds all of humidityAdds.'),
    humidityAdds: z.number().min(0).max(1),
    fogAdds: z.number().min(0).max(1).describe('Added while fog lies.'),
    max: z.number().min(0).max(1),
    rampS: z.number().min(0.1).max(600).describe('Seconds of audio a change of wet level ramps over.'),
  })
  .strict()
  .refine((settings) => settings.humidityTo > settings.humidityFrom, { message: 'reverb: humidityTo must be above humidityFrom', path: ['humidityTo'] });

export type ReverbSettings = z.infer<typeof reverbSettingsSchema>;

/** A wet level this close to the current target is not worth a new ramp. */
const LEVEL_STEP = 0.01;

/** The wet level the settings give for the world now. */
export function wantedReverbLevel(settings: ReverbSettings, world: WorldState): number {
  const humidity = world.humidityPercent;
  const humidityShare = humidity === null ? 0 : Math.min(1, Math.max(0, (humidity - settings.humidityFrom) / (settings.humidityTo - settings.humidityFrom)));
  const level = settings.base + settings.humidityAdds * humidityShare + (world.foggy ? settings.fogAdds : 0);
  return Math.min(settings.max, level);
}

/**
 * The wet level of the master reverb over the output's frames, as corner points of a
 * piecewise-linear path: decided by the composer when the world changes, read by the renderer
 * frame by frame. Deterministic: the same calls give the same points. Old points are
 * forgotten once audio past them has been rendered, keeping one before the frame asked for.
 */
export class ReverbPlan {
  private points: EnvelopePoint[];
  private target: number;

  constructor(
    private readonly settings: ReverbSettings | null,
    private readonly framesPerSecond: number,
  ) {
    this.target = settings?.base ?? 0;
    this.points = [{ frame: 0, gain: this.target }];
  }

  /** The current target level (a linear gain). */
  get level(): number {
    return this.target;
  }

  /** Starts a ramp at `frame` towards what the world asks for, if it asks for a change. */
  follow(world: WorldState, frame: number): void {
    if (!this.settings) return;
    const wanted = wantedReverbLevel(this.settings, world);
    if (Math.abs(wanted - this.target) < LEVEL_STEP) return;

    const from = this.levelAt(frame);
    this.points = this.points.filter((point) => point.frame < frame);
    this.points.push({ frame, gain: from }, { frame: frame + Math.round(this.settings.rampS * this.framesPerSecond), gain: wanted });
    this.target = wanted;
  }

  /** The points that decide the levels from `frame` on (one at or before it, then the rest). */
  pointsFrom(frame: number): EnvelopePoint[] {
    let first = 0;
    while (first + 1 < this.points.length && this.points[first + 1]!.frame <= frame) first++;
    this.points = this.points.slice(first);
    return this.points;
  }

  private levelAt(frame: number): number {
    return new LevelPathReader(this.points).at(frame);
  }
}
