/**
 * The key centre every pitched stem plays in. It is chosen only when the coarse layer changes,
 * among the keys the coarse candidates offer, and moves only to a related key (the same notes,
 * or one step round the circle of fifths) while one is offered; the brightness wanted (the
 * coarse rule's `brightness`, else the pressure trend, else the sun's phase) picks between
 * them. Middle and fine choices are kept to the key, or to its relative when the pack has no
 * stem in the key; unpitched stems are always free. Deterministic: no randomness here.
 */
import type { Logger } from 'pino';
import type { Layer } from '../audio/stem-manifest.js';
import type { Voice } from '../audio/plan.js';
import type { ChoosableStem } from './stem-choice.js';
import type { WorldState } from './world.js';
import {
  fifthsDistance,
  isBrightness,
  keyName,
  keyOfStem,
  MODE_BRIGHTNESS,
  relationOf,
  sameKey,
  shareNotes,
  type Brightness,
  type Key,
} from './keys.js';

/** A move of the key centre, as written to the render log. */
export interface KeyMove {
  /** Audio frame the move lands at (the coarse change's). */
  frame: number;
  /** The sky instant it answers, UTC ISO. */
  at: string;
  /** `D major`; null at the first key of a run. */
  from: string | null;
  to: string;
  /** How `to` stands to `from` (`relative`, `dominant`, ...); `first` at the first key. */
  relation: string;
  /** Why: the brightness wanted and what asked for it. */
  why: string;
  /** The layer whose change set it: coarse, but middle or fine for a first key set before any bed. */
  by: Layer;
}

/** The brightness a coarse change asks for, and what asked for it (null: no preference). */
export interface WantedBrightness {
  brightness: Brightness | null;
  why: string;
}

/**
 * What asks for brightness at a coarse change: the rule's own `brightness` first; else the
 * pressure trend (rising: bright, falling: dark); else the sun's phase (dawn, sunrise and day
 * bright; dusk and night dark; golden hour and sunset, or unknown: no preference).
 */
export function wantedBrightness(ruleBrightness: Brightness | null, ruleLabel: string | null, world: WorldState): WantedBrightness {
  if (ruleBrightness) return { brightness: ruleBrightness, why: `${ruleLabel ?? 'the rule'} asks for ${ruleBrightness}` };
  const tendency = world.pressureTendency;
  if (tendency?.startsWith('rising')) return { brightness: 'bright', why: 'pressure rises' };
  if (tendency?.startsWith('falling')) return { brightness: 'dark', why: 'pressure falls' };
  const phase = world.sunPhase;
  const byPhase: Record<string, WantedBrightness> = {
    night: { brightness: 'dark', why: 'night falls' },
    dusk: { brightness: 'dark', why: 'dusk' },
    dawn: { brightness: 'bright', why: 'dawn breaks' },
    sunrise: { brightness: 'bright', why: 'the sun rises' },
    day: { brightness: 'bright', why: 'daylight' },
  };
  const keeping = phase === 'golden' ? 'the golden hour keeps the mode' : phase ? `the ${phase} keeps the mode` : 'no sun phase yet';
  return (phase && byPhase[phase]) || { brightness: null, why: keeping };
}

/** Candidates fitted to the key, and a note for the plan entry's reason ('' when all fit). */
export interface Fitted {
  candidates: ChoosableStem[];
  note: string;
}

/** The current key centre and its moves. */
export class KeyCentre {
  /** The key now; null until a coarse change offers a pitched stem (then every stem is free). */
  key: Key | null = null;
  /** Every move, oldest first (the oldest forgotten beyond `keep`). */
  readonly moves: KeyMove[] = [];

  constructor(
    private readonly log: Logger,
    private readonly keep = Number.POSITIVE_INFINITY,
  ) {}

  /**
   * At a coarse change to `candidates` (the stems the new coarse choice may play): picks the
   * key among theirs. Related keys only while one is offered (else the nearest offered, logged);
   * among them the wanted brightness first, then staying put, then the fewest fifths, then the
   * key with more candidates, then by name. Returns a note for the plan entry's reason: '' when
   * the key stays or no candidate is pitched (the key stays as it was).
   */
  choose(candidates: readonly ChoosableStem[], wanted: WantedBrightness, frame: number, atMs: number): string {
    const offered = offeredKeys(candidates);
    if (offered.length === 0) return '';
    const current = this.key;
    const related = current ? offered.filter(({ key }) => fifthsDistance(current, key) <= 1) : offered;
    const nearest = current ? Math.min(...offered.map(({ key }) => fifthsDistance(current, key))) : 0;
    const pool = related.length > 0 ? related : offered.filter(({ key }) => fifthsDistance(current!, key) === nearest);

    const sign = wanted.brightness === 'bright' ? 1 : wanted.brightness === 'dark' ? -1 : 0;
    const rank = ({ key, count }: { key: Key; count: number }) => [
      -sign * MODE_BRIGHTNESS[key.mode],
      current && sameKey(current, key) ? 0 : 1,
      current ? fifthsDistance(current, key) : 0,
      -count,
    ];
    const best = [...pool].sort((a, b) => compareRanks(rank(a), rank(b)) || keyName(a.key).localeCompare(keyName(b.key)))[0]!;
    if (current && sameKey(current, best.key)) return '';

    const jumped = current !== null && related.length === 0;
    const unmet = wanted.brightness !== null && !isBrightness(best.key, wanted.brightness);
    const offeredNames = pool.map(({ key }) => keyName(key)).join(', ');
    let why = unmet ? `${wanted.why}, but only ${offeredNames} ${pool.length === 1 ? 'is' : 'are'} offered` : wanted.why;
    if (jumped) why += `; no related key offered, the nearest is ${nearest} fifths away`;
    return this.moveTo(best.key, why, 'coarse', frame, atMs, wanted.brightness);
  }

  /** Makes `key` the key centre, records and logs the move; returns the plan reason's note. */
  private moveTo(key: Key, why: string, by: Layer, frame: number, atMs: number, brightness: Brightness | null): string {
    const current = this.key;
    const move: KeyMove = {
      frame,
      at: new Date(atMs).toISOString(),
      from: current ? keyName(current) : null,
      to: keyName(key),
      relation: current ? relationOf(current, key) : 'first',
      why,
      by,
    };
    this.key = key;
    this.moves.push(move);
    if (this.moves.length > this.keep) this.moves.splice(0, this.moves.length - this.keep);
    this.log.info({ ...move, brightness }, move.from ? 'key moves' : 'key set');
    return move.from ? `; key moves ${move.from} → ${move.to} (${move.relation}): ${move.why}` : `; key ${move.to}: ${move.why}`;
  }

  /**
   * The candidates `layer` may start under the key: unpitched ones and those in the key; if no
   * pitched one is in the key, those sharing its notes (its relative), noted and logged; if
   * none does either, only the unpitched ones (the layer may rest), noted and logged. Before
   * any key, a pitched candidate sets the first one (the key most of them are in), so that no
   * two keys start together even before the bed has played.
   */
  fit(layer: Layer, tag: string, candidates: readonly ChoosableStem[], frame: number, atMs: number): Fitted {
    if (candidates.length === 0) return { candidates: [], note: '' };
    let first = '';
    if (!this.key) {
      const offered = offeredKeys(candidates).sort((a, b) => b.count - a.count);
      if (offered.length === 0) return { candidates: [...candidates], note: '' };
      const why = `the ${layer} layer's "${tag}" starts before any bed`;
      first = this.moveTo(offered[0]!.key, why, layer, frame, atMs, null);
    }
    const key = this.key!;
    const free = candidates.filter((stem) => keyOfStem(stem.info) === null);
    const inKey = candidates.filter((stem) => keyIs(stem, (own) => sameKey(own, key)));
    if (inKey.length > 0 || free.length === candidates.length) return { candidates: [...free, ...inKey], note: first };

    const relatives = candidates.filter((stem) => keyIs(stem, (own) => shareNotes(own, key)));
    const where = `no "${tag}" stem of the ${layer} layer is in ${keyName(key)}`;
    if (relatives.length > 0) {
      const keys = [...new Set(relatives.map((stem) => keyName(keyOfStem(stem.info)!)))].join(', ');
      this.log.info({ layer, tag, frame, key: keyName(key), fallback: keys }, 'key fallback: a relative shares its notes');
      return { candidates: [...free, ...relatives], note: `; ${where}: ${keys} shares its notes` };
    }
    const offered = [...new Set(candidates.flatMap((stem) => (keyOfStem(stem.info) ? [keyName(keyOfStem(stem.info)!)] : [])))];
    this.log.info({ layer, tag, frame, key: keyName(key), offered }, 'key leaves out every pitched candidate');
    return { candidates: free, note: `; ${where} or its relative (${offered.join(', ')} left out)` };
  }

  /** `D major`, or `no key` before the first. */
  get name(): string {
    return this.key ? keyName(this.key) : 'no key';
  }

  /** Whether `stem` sounds with the key: unpitched, no key yet, or the same notes (unknown stems fit). */
  fits(stem: ChoosableStem | undefined): boolean {
    const own = stem ? keyOfStem(stem.info) : null;
    return !own || !this.key || shareNotes(own, this.key);
  }

  /** The voices of `voices` still sounding at `frame` that do not share the key's notes. */
  outOfKey(voices: readonly Voice[], frame: number, stemOf: (id: string) => ChoosableStem | undefined): Voice[] {
    return voices.filter((voice) => (voice.stopFrame === null || voice.stopFrame > frame) && !this.fits(stemOf(voice.stemId)));
  }
}

/**
 * The accents of `voices` sounding at `frame` out of the key's notes, each with the fade (audio
 * frames) that ends it: `fadeFrames`, or less when the one-shot ends sooner by itself.
 */
export function accentsLeaving(
  centre: KeyCentre,
  voices: readonly Voice[],
  frame: number,
  fadeFrames: number,
  stemOf: (id: string) => ChoosableStem | undefined,
): Array<{ voice: Voice; fadeFrames: number }> {
  return centre.outOfKey(voices.filter((voice) => voice.layer === 'fine'), frame, stemOf).map((voice) => {
    const end = voice.stopFrame === null ? Infinity : voice.stopFrame + voice.fadeOutFrames;
    return { voice, fadeFrames: Math.max(1, Math.min(fadeFrames, end - Math.max(frame, voice.startFrame))) };
  });
}

function keyIs(stem: ChoosableStem, test: (key: Key) => boolean): boolean {
  const own = keyOfStem(stem.info);
  return own !== null && test(own);
}

/** The distinct keys of the pitched `candidates`, each with its number of stems, in first-seen order. */
function offeredKeys(candidates: readonly ChoosableStem[]): Array<{ key: Key; count: number }> {
  const offered: Array<{ key: Key; count: number }> = [];
  for (const stem of candidates) {
    const key = keyOfStem(stem.info);
    if (!key) continue;
    const seen = offered.find((entry) => sameKey(entry.key, key));
    if (seen) seen.count++;
    else offered.push({ key, count: 1 });
  }
  return offered;
}

function compareRanks(a: number[], b: number[]): number {
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return a[index]! - b[index]!;
  return 0;
}
