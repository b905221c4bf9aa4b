/**
 * Keys as the stem manifest names them (a tonic `D`, `F#`, `Bb` and a mode), and how near two
 * keys are. Two keys "share their notes" when their scales are the same seven pitch classes
 * (D major and B minor: relatives); their distance is the number of steps between their key
 * signatures on the circle of fifths (0: the same notes, 1: dominant or subdominant, up to 6).
 */
import type { StemInfo } from '../audio/stem-manifest.js';

export type Mode = NonNullable<StemInfo['mode']>;

/** A key centre: a tonic as the manifest spells it and a mode. */
export interface Key {
  tonic: string;
  mode: Mode;
}

/** Whether a key sounds bright or dark: the score's `brightness`. */
export type Brightness = 'bright' | 'dark';

const LETTER_PC: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };

/** Semitones from a mode's tonic up to the tonic of the major scale with the same notes. */
const TO_PARENT_MAJOR: Record<Mode, number> = { major: 0, minor: 3, dorian: 10, phrygian: 8, lydian: 7, mixolydian: 5 };

/** How bright a mode sounds (raised degrees above, lowered below major): lydian brightest, phrygian darkest. */
export const MODE_BRIGHTNESS: Record<Mode, number> = { lydian: 3, major: 2, mixolydian: 1, dorian: -1, minor: -2, phrygian: -3 };

/** The key of a stem, or null for an unpitched one (no key). A key without a mode is read as major. */
export function keyOfStem(info: Pick<StemInfo, 'key' | 'mode'>): Key | null {
  return info.key ? { tonic: info.key, mode: info.mode ?? 'major' } : null;
}

/** Pitch class 0..11 (C = 0) of a tonic spelled `A`..`G` with an optional `#` or `b`. */
export function pitchClass(tonic: string): number {
  const base = LETTER_PC[tonic[0]!.toUpperCase()];
  if (base === undefined) throw new Error(`not a tonic: ${tonic}`);
  const accidental = tonic[1] === '#' ? 1 : tonic[1] === 'b' ? -1 : 0;
  return (base + accidental + 12) % 12;
}

/** The pitch class of the major key with the same notes (its key signature). */
export function signatureOf(key: Key): number {
  return (pitchClass(key.tonic) + TO_PARENT_MAJOR[key.mode]) % 12;
}

/** Steps 0..6 between the key signatures of `a` and `b` on the circle of fifths. */
export function fifthsDistance(a: Key, b: Key): number {
  const step = (((signatureOf(b) - signatureOf(a)) * 7) % 12 + 12) % 12;
  return Math.min(step, 12 - step);
}

/** Same tonic (enharmonics alike) and same mode. */
export function sameKey(a: Key, b: Key): boolean {
  return pitchClass(a.tonic) === pitchClass(b.tonic) && a.mode === b.mode;
}

/** Same seven notes: the same key, or its relative (D major and B minor). */
export function shareNotes(a: Key, b: Key): boolean {
  return signatureOf(a) === signatureOf(b);
}

/**
 * How `to` stands to `from`: `same key`, `relative` (same notes), `dominant` (one sharp more),
 * `subdominant` (one flat more) or `N fifths away`.
 */
export function relationOf(from: Key, to: Key): string {
  if (sameKey(from, to)) return 'same key';
  const distance = fifthsDistance(from, to);
  if (distance === 0) return 'relative';
  if (distance > 1) return `${distance} fifths away`;
  return (((signatureOf(to) - signatureOf(from)) * 7) % 12 + 12) % 12 === 1 ? 'dominant' : 'subdominant';
}

/** `D major`, `B minor`. */
export function keyName(key: Key): string {
  return `${key.tonic} ${key.mode}`;
}

/** Whether `key` is on the `brightness` side of the modes (major, lydian, mixolydian are bright). */
export function isBrightness(key: Key, brightness: Brightness): boolean {
  return brightness === 'bright' ? MODE_BRIGHTNESS[key.mode] > 0 : MODE_BRIGHTNESS[key.mode] < 0;
}
