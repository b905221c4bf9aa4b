import { SeededRandom } from '../../src/composer/random.js';
import {
  CHOIR_AAHS, VOICE_OOHS, chord, chordLoop, together,
  type StemSpec,
} from './score.js';

/**
 * More of the coarse layer: a night bed and a swelling "oh" pad in B minor (the relative
 * minor of D major, so the same seven pitches and no clash with the D major stems), and a
 * dawn chorale in D major. Each draws its small variations from its own seed.
 */
export function bedStems(): StemSpec[] {
  return [nightBed(), dawnChorale(), swellPad()];
}

/** Hummed low chords in B minor, soft and slow, eight seconds each: Bm, Em/B, Bm7, Em7/B. */
function nightBed(): StemSpec {
  const rng = new SeededRandom(0x4e_19_47);
  const chords = [
    chord(8, 0, 'B2 F#3 B3 D4'),
    chord(8, 0, 'B2 G3 B3 E4'),
    chord(8, 0, 'B2 F#3 A3 D4'),
    chord(8, 0, 'B2 E3 G3 D4'),
  ];

  return {
    info: {
      id: 'pad-night-mm',
      layer: 'coarse',
      role: 'pad',
      key: 'B',
      mode: 'minor',
      loop: true,
      tags: ['night', 'dusk', 'mm'],
      gainDb: -2,
      description: 'A hummed "mm" bed over a held low B: Bm, Em/B, Bm7, Em7/B (Voice Oohs).',
    },
    lengthS: 32,
    parts: [{ program: VOICE_OOHS, pan: 0, reverb: 100, volume: 92 }],
    notes: chordLoop(chords, {
      rng, staggerS: 0.8, overlapS: 1, velocityLow: 40, velocityHigh: 50,
    }),
  };
}

/**
 * A four-part "ah" chorale, men below and women above, four seconds a chord; the soprano
 * steps down D5 C#5 B4 A4 and climbs back, and the last chord (A) leads into the first.
 */
function dawnChorale(): StemSpec {
  const rng = new SeededRandom(0xda_07_c4);
  const men = 0;
  const women = 1;
  const chords = [
    together(chord(4, men, 'D3 A3'), chord(4, women, 'F#4 D5')),
    together(chord(4, men, 'C#3 A3'), chord(4, women, 'E4 C#5')),
    together(chord(4, men, 'B2 F#3'), chord(4, women, 'D4 B4')),
    together(chord(4, men, 'A2 F#3'), chord(4, women, 'C#4 A4')),
    together(chord(4, men, 'G2 D3'), chord(4, women, 'G4 B4')),
    together(chord(4, men, 'F#2 D3'), chord(4, women, 'F#4 A4')),
    together(chord(4, men, 'E3 B3'), chord(4, women, 'E4 G4')),
    together(chord(4, men, 'A2 E3'), chord(4, women, 'C#4 A4')),
  ];

  return {
    info: {
      id: 'chorale-dawn',
      layer: 'coarse',
      role: 'chorale',
      key: 'D',
      mode: 'major',
      loop: true,
      tags: ['dawn', 'sunrise', 'ah'],
      gainDb: -1,
      description: 'A slow four-part "ah" chorale: D, A/C#, Bm, F#m/A, G, D/F#, Em, A ' +
        '(Choir Aahs).',
    },
    lengthS: 32,
    parts: [
      { program: CHOIR_AAHS, pan: -0.25, reverb: 85 },
      { program: CHOIR_AAHS, pan: 0.25, reverb: 85, volume: 94 },
    ],
    notes: chordLoop(chords, {
      rng, staggerS: 0.12, overlapS: 0.35, velocityLow: 58, velocityHigh: 70,
    }),
  };
}

/**
 * Ahs and oohs sung in unison, which the ear hears as an "oh", swelling in and out every
 * eight seconds over Bm(add9), G, Em, A.
 */
function swellPad(): StemSpec {
  const rng = new SeededRandom(0x05_e1_10);
  const low = 0;
  const ah = 1;
  const oo = 2;
  const upper = ['D4 F#4 C#5', 'B3 D4 G4', 'D4 G4 B4', 'C#4 E4 A4'];
  const bass = ['B2 F#3', 'G2 D3', 'E3 B3', 'A2 E3'];
  const chords = upper.map((names, index) => together(
    chord(8, low, bass[index]!), chord(8, ah, names), chord(8, oo, names),
  ));
  const swell = { periodS: 8, offsetS: -1, low: 62, high: 124 };

  return {
    info: {
      id: 'pad-swell-oh',
      layer: 'coarse',
      role: 'pad',
      key: 'B',
      mode: 'minor',
      loop: true,
      tags: ['day', 'golden', 'swell', 'oh'],
      gainDb: -1,
      description: 'An "oh" (ahs and oohs in unison) swelling every eight seconds over ' +
        'Bm(add9), G, Em, A (Choir Aahs, Voice Oohs).',
    },
    lengthS: 32,
    parts: [
      { program: VOICE_OOHS, pan: 0, reverb: 90, swell },
      { program: CHOIR_AAHS, pan: -0.35, reverb: 90, volume: 90, swell },
      { program: VOICE_OOHS, pan: 0.35, reverb: 90, volume: 96, swell },
    ],
    notes: chordLoop(chords, {
      rng, staggerS: 0.3, overlapS: 0.6, velocityLow: 60, velocityHigh: 70,
    }),
  };
}
