import type { StemInfo } from '../../src/audio/stem-manifest.js';
import type { SeededRandom } from '../../src/composer/random.js';

/** General MIDI programs (0-based) of the choir patches the pack is sung with. */
export const CHOIR_AAHS = 52;
export const VOICE_OOHS = 53;
export const SYNTH_VOICE = 54;

/**
 * One voice part of a stem: a patch at a place in the stereo field. The MIDI writer gives
 * a part as many channels as it needs so that no pitch is struck again while still held.
 */
export interface Part {
  program: number;
  /** Stereo position, -1 (left) to 1 (right). */
  pan: number;
  /** Channel volume (MIDI CC 7), 0-127; 100 when left out. */
  volume?: number;
  /** Reverb send (MIDI CC 91), 0-127. */
  reverb: number;
  /** Chorus send (MIDI CC 93), 0-127; 0 when left out. */
  chorus?: number;
  /** A slow swell of the part's loudness; none (expression held at 127) when left out. */
  swell?: Swell;
}

/**
 * A swell of a part's expression (MIDI CC 11), repeating every `periodS` seconds: a raised
 * cosine from `low` at the start of each period up to `high` at its middle and back.
 * `offsetS` moves the curve later in time. In a loop the period must divide the cycle, so
 * that every cycle swells alike and the seam stays where the render was continuous.
 */
export interface Swell {
  periodS: number;
  offsetS?: number;
  /** Expression values, 0-127. */
  low: number;
  high: number;
}

/** One sung note. Times in seconds from the start of the cycle (loops) or of the figure. */
export interface ScoreNote {
  /** Index into the stem's parts. */
  part: number;
  /** MIDI note number (60 is middle C). */
  midi: number;
  startS: number;
  durationS: number;
  /** MIDI velocity, 1-127. */
  velocity: number;
}

/**
 * A stem to compose and render: its manifest entry (less the file name) and its score.
 * For a loop, `lengthS` is the cycle (a multiple of 4 s, so that a cycle is a whole number
 * of the synthesiser's 64-frame blocks and of its chorus periods) and notes may ring past
 * its end into the next cycle;
 * for a one-shot it is the length of the file, tail and fade-out included.
 */
export interface StemSpec {
  info: Omit<StemInfo, 'file'>;
  lengthS: number;
  parts: Part[];
  notes: ScoreNote[];
}

const NOTE_OFFSETS: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };

/** A note name such as 'F#4' or 'Bb2' to its MIDI number (C4 = 60). */
export function midiOf(name: string): number {
  const match = /^([A-G])([#b]?)(-?\d)$/.exec(name);
  const offset = match ? NOTE_OFFSETS[match[1]!] : undefined;
  if (!match || offset === undefined) throw new Error(`not a note name: ${name}`);

  const accidental = match[2] === '#' ? 1 : match[2] === 'b' ? -1 : 0;
  return 12 * (Number(match[3]) + 1) + offset + accidental;
}

/** Note names to MIDI numbers: `notes('D3 A3 F#4')`. */
export function notes(names: string): number[] {
  return names.trim().split(/\s+/).map(midiOf);
}

/** A chord held for `durationS`, each pitch sung by the given part. */
export interface Chord {
  durationS: number;
  voices: { part: number; midi: number }[];
}

/** Builds a chord's voices from one part's note names: `chord(8, 0, 'D3 A3 D4')`. */
export function chord(durationS: number, part: number, names: string): Chord {
  return { durationS, voices: notes(names).map((midi) => ({ part, midi })) };
}

/** Joins chords that sound together (for example two parts) into one. */
export function together(...chords: Chord[]): Chord {
  const first = chords[0];
  if (!first) throw new Error('together() needs at least one chord');
  return { durationS: first.durationS, voices: chords.flatMap((each) => each.voices) };
}

export interface ChordLoopOptions {
  rng: SeededRandom;
  /** Each entry comes up to this late (seconds), so that voices do not attack as one. */
  staggerS: number;
  /** Each release rings this long into the next chord (seconds), for legato. */
  overlapS: number;
  velocityLow: number;
  velocityHigh: number;
}

/**
 * Sings a cycle of chords as a loop, voice-leading by ties: a pitch (in the same part)
 * that the next chord keeps is held on rather than struck again, around the cycle's end
 * too. A pitch held through every chord is struck again once a cycle, at a chord chosen
 * per pitch, and overlaps itself so the re-entry swells in under the held note.
 */
export function chordLoop(chords: readonly Chord[], options: ChordLoopOptions): ScoreNote[] {
  const starts: number[] = [];
  let cycleS = 0;
  for (const each of chords) {
    starts.push(cycleS);
    cycleS += each.durationS;
  }

  const sounding = (index: number, part: number, midi: number): boolean => {
    const at = chords[((index % chords.length) + chords.length) % chords.length]!;
    return at.voices.some((voice) => voice.part === part && voice.midi === midi);
  };

  const out: ScoreNote[] = [];
  chords.forEach((current, index) => {
    for (const { part, midi } of current.voices) {
      const velocity = options.rng.integer(options.velocityLow, options.velocityHigh);
      const delayS = options.rng.between(0, options.staggerS);
      const heldEverywhere = chords.every((_, other) => sounding(other, part, midi));

      if (heldEverywhere) {
        if (index !== (midi + part) % chords.length) continue;
        const startS = starts[index]! + delayS;
        out.push({ part, midi, startS, durationS: cycleS + options.overlapS, velocity });
        continue;
      }
      if (sounding(index - 1, part, midi)) continue;

      let heldS = 0;
      for (let ahead = index; sounding(ahead, part, midi); ahead++) {
        heldS += chords[ahead % chords.length]!.durationS;
      }
      const startS = starts[index]! + delayS;
      out.push({ part, midi, startS, durationS: heldS - delayS + options.overlapS, velocity });
    }
  });
  return out;
}
