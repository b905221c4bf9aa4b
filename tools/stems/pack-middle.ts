import { SeededRandom } from '../../src/composer/random.js';
import {
  SYNTH_VOICE, VOICE_OOHS, chord, chordLoop, notes, together,
  type Part, type ScoreNote, type StemSpec,
} from './score.js';

/** The middle layer: textures for the weather and the clouds, looped. */
export function middleStems(): StemSpec[] {
  return [drizzle(), highShimmer(), overcastHum()];
}

/**
 * Drizzle: short soft notes of the D major pentatonic scattered in time and across the
 * stereo field, some struck twice or three times in quick succession like drops from a
 * gutter. Onsets are a seeded Poisson process of about 2.5 groups a second.
 */
function drizzle(): StemSpec {
  const rng = new SeededRandom(0xd7_12_21);
  const cycleS = 24;
  const pentatonic = notes('A4 B4 D5 E5 F#5 A5 B5 D6');
  const pans = [-0.8, -0.5, -0.2, 0.2, 0.5, 0.8];
  const parts: Part[] = pans.map((pan) => ({ program: SYNTH_VOICE, pan, reverb: 100 }));

  const out: ScoreNote[] = [];
  for (let atS = rng.between(0, 0.3); atS < cycleS; atS += -Math.log(1 - rng.next()) / 2.5) {
    const midi = rng.pick(pentatonic);
    const part = rng.integer(0, parts.length - 1);
    const repeats = rng.next() < 0.3 ? rng.integer(2, 3) : 1;
    const gapS = rng.between(0.14, 0.22);
    const velocity = rng.integer(30, 58);
    for (let repeat = 0; repeat < repeats; repeat++) {
      const startS = (atS + repeat * gapS) % cycleS;
      const durationS = Math.min(gapS * 0.8, rng.between(0.12, 0.3));
      out.push({ part, midi, startS, durationS, velocity: velocity - repeat * 6 });
    }
  }

  return {
    info: {
      id: 'texture-drizzle',
      layer: 'middle',
      role: 'texture',
      key: 'D',
      mode: 'major',
      loop: true,
      tags: ['drizzle', 'rain'],
      gainDb: -5,
      description: 'Scattered short soft notes of D pentatonic, like drizzle (Synth Voice).',
    },
    lengthS: cycleS,
    parts,
    notes: out,
  };
}

/** High sustained oohs changing slowly, spread wide, for a clear or cirrus sky. */
function highShimmer(): StemSpec {
  const rng = new SeededRandom(0x5a_1e_e7);
  const left = 0;
  const right = 1;
  const chords = [
    together(chord(8, left, 'D5 A5'), chord(8, right, 'F#5')),
    together(chord(8, left, 'E5 A5'), chord(8, right, 'B5')),
    together(chord(8, left, 'D5 A5'), chord(8, right, 'F#5 D6')),
    together(chord(8, left, 'E5 B5'), chord(8, right, 'A5')),
  ];

  return {
    info: {
      id: 'texture-shimmer-high',
      layer: 'middle',
      role: 'texture',
      key: 'D',
      mode: 'major',
      loop: true,
      tags: ['clear', 'cirrus'],
      gainDb: -6,
      description: 'High sustained oohs around D5-D6, changing every eight seconds (Voice Oohs).',
    },
    lengthS: 32,
    parts: [
      { program: VOICE_OOHS, pan: -0.6, reverb: 110, chorus: 40 },
      { program: VOICE_OOHS, pan: 0.6, reverb: 110, chorus: 40 },
    ],
    notes: chordLoop(chords, {
      rng, staggerS: 1.2, overlapS: 1.5, velocityLow: 40, velocityHigh: 52,
    }),
  };
}

/** A very soft low close cluster (A2 D3 E3, then D3 E3 F#3), a hum under grey weather. */
function overcastHum(): StemSpec {
  const rng = new SeededRandom(0x0c_a5_70);
  const chords = [
    chord(12, 0, 'A2 D3 E3'),
    chord(12, 0, 'D3 E3 F#3'),
  ];

  return {
    info: {
      id: 'texture-overcast-hum',
      layer: 'middle',
      role: 'texture',
      key: 'D',
      mode: 'major',
      loop: true,
      tags: ['overcast', 'fog'],
      gainDb: -9,
      description: 'Very soft low close cluster around D3, hummed (Voice Oohs).',
    },
    lengthS: 24,
    parts: [{ program: VOICE_OOHS, pan: 0, reverb: 100, volume: 90 }],
    notes: chordLoop(chords, {
      rng, staggerS: 1.5, overlapS: 1.2, velocityLow: 34, velocityHigh: 44,
    }),
  };
}
