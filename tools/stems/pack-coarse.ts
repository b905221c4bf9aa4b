import { SeededRandom } from '../../src/composer/random.js';
import {
  CHOIR_AAHS, VOICE_OOHS, chord, chordLoop, midiOf, together,
  type ScoreNote, type StemSpec,
} from './score.js';

/**
 * The coarse layer: long loops that set the harmonic bed in D major. Each stem draws its
 * small timing and velocity variations from its own seed.
 */
export function coarseStems(): StemSpec[] {
  return [lowDrone(), brightPad(), greyPad(), goldenPad()];
}

/**
 * Basses and baritones humming D and A, each voice re-entering twice a cycle under its
 * own held note at a different moment from the others, so the drone breathes but never
 * re-attacks as one.
 */
function lowDrone(): StemSpec {
  const rng = new SeededRandom(0x0d_d0_0e);
  const cycleS = 32;
  const voices = [
    { name: 'D2', part: 0, offsetS: 0, velocity: 64 },
    { name: 'A2', part: 1, offsetS: 4, velocity: 54 },
    { name: 'D3', part: 0, offsetS: 9, velocity: 58 },
    { name: 'A3', part: 1, offsetS: 13, velocity: 44 },
  ];

  const notes: ScoreNote[] = [];
  for (const voice of voices) {
    for (const halfS of [0, cycleS / 2]) {
      notes.push({
        part: voice.part,
        midi: midiOf(voice.name),
        startS: voice.offsetS + halfS + rng.between(0, 0.4),
        durationS: cycleS / 2 + 3,
        velocity: voice.velocity + rng.integer(-4, 4),
      });
    }
  }

  return {
    info: {
      id: 'drone-low-d',
      layer: 'coarse',
      role: 'drone',
      key: 'D',
      mode: 'major',
      loop: true,
      tags: ['night', 'dawn', 'dusk', 'mm'],
      gainDb: -2,
      description: 'Low hummed "mm/oo" drone on D and A (Voice Oohs, D2-A3).',
    },
    lengthS: cycleS,
    parts: [
      { program: VOICE_OOHS, pan: -0.25, reverb: 90 },
      { program: VOICE_OOHS, pan: 0.25, reverb: 90 },
    ],
    notes: notes.map((note) => ({ ...note, startS: note.startS % cycleS })),
  };
}

/** Open "ah" chords moving slowly through D, G/D, A/D and Bm, eight seconds each. */
function brightPad(): StemSpec {
  const rng = new SeededRandom(0xb1_9e_a7);
  const low = 0;
  const high = 1;
  const chords = [
    together(chord(8, low, 'D3 A3'), chord(8, high, 'D4 F#4 A4')),
    together(chord(8, low, 'D3 B3'), chord(8, high, 'D4 G4 B4')),
    together(chord(8, low, 'D3 A3'), chord(8, high, 'C#4 E4 A4')),
    together(chord(8, low, 'B2 F#3'), chord(8, high, 'D4 F#4 B4')),
  ];

  return {
    info: {
      id: 'pad-bright-ah',
      layer: 'coarse',
      role: 'pad',
      key: 'D',
      mode: 'major',
      loop: true,
      tags: ['day', 'sunrise', 'golden', 'ah'],
      gainDb: 0,
      description: 'Bright open "ah" chords: D, G/D, A/D, Bm (Choir Aahs).',
    },
    lengthS: 32,
    parts: [
      { program: CHOIR_AAHS, pan: -0.3, reverb: 85 },
      { program: CHOIR_AAHS, pan: 0.3, reverb: 85 },
    ],
    notes: chordLoop(chords, {
      rng, staggerS: 0.35, overlapS: 0.6, velocityLow: 62, velocityHigh: 74,
    }),
  };
}

/** Soft mid-register "oo" over a held D: Bm and G colours, for a grey sky. */
function greyPad(): StemSpec {
  const rng = new SeededRandom(0x96_ee_00);
  const chords = [
    chord(10, 0, 'D3 F#3 B3 D4'),
    chord(6, 0, 'D3 G3 B3 D4'),
    chord(8, 0, 'D3 F#3 A3 B3'),
    chord(8, 0, 'D3 G3 B3 E4'),
  ];

  return {
    info: {
      id: 'pad-grey-oo',
      layer: 'coarse',
      role: 'pad',
      key: 'D',
      mode: 'major',
      loop: true,
      tags: ['dawn', 'dusk', 'overcast', 'oo'],
      gainDb: -1,
      description: 'Muted mid-register "oo": Bm/D, G/D, Bm7/D, G6/D (Voice Oohs).',
    },
    lengthS: 32,
    parts: [{ program: VOICE_OOHS, pan: 0, reverb: 95 }],
    notes: chordLoop(chords, {
      rng, staggerS: 0.5, overlapS: 0.8, velocityLow: 50, velocityHigh: 60,
    }),
  };
}

/**
 * Warm golden-hour chords, hummed below and sung above: Dadd9, Gmaj9/D, Em7/D, A/D,
 * nine seconds each.
 */
function goldenPad(): StemSpec {
  const rng = new SeededRandom(0x90_1d_e2);
  const hum = 0;
  const sing = 1;
  const chords = [
    together(chord(9, hum, 'D3 A3'), chord(9, sing, 'E4 F#4 A4')),
    together(chord(9, hum, 'D3 G3'), chord(9, sing, 'B3 F#4 A4')),
    together(chord(9, hum, 'D3 B3'), chord(9, sing, 'E4 G4 B4')),
    together(chord(9, hum, 'D3 A3'), chord(9, sing, 'C#4 E4 A4')),
  ];

  return {
    info: {
      id: 'pad-golden-warm',
      layer: 'coarse',
      role: 'pad',
      key: 'D',
      mode: 'major',
      loop: true,
      tags: ['golden', 'sunset'],
      gainDb: -1,
      description: 'Warm added-note chords, hummed oohs under sung ahs (Voice Oohs, Choir Aahs).',
    },
    lengthS: 36,
    parts: [
      { program: VOICE_OOHS, pan: -0.2, reverb: 80 },
      { program: CHOIR_AAHS, pan: 0.2, reverb: 90, volume: 92 },
    ],
    notes: chordLoop(chords, {
      rng, staggerS: 0.6, overlapS: 0.9, velocityLow: 56, velocityHigh: 68,
    }),
  };
}
