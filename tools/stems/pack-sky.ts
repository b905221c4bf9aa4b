import { SeededRandom } from '../../src/composer/random.js';
import {
  CHOIR_AAHS, SYNTH_VOICE, VOICE_OOHS, chord, chordLoop, notes,
  type Part, type ScoreNote, type StemSpec,
} from './score.js';

/** More of the middle layer: textures for a bright sky, thin cloud and wind, looped. */
export function skyStems(): StemSpec[] {
  return [cirrusThin(), wind(), swellAh()];
}

/**
 * Thin high oohs for cirrus: single high pitches of B minor (F#5 to F#6) entering at
 * seeded moments, each held six to nine seconds, spread wide, with chorus.
 */
function cirrusThin(): StemSpec {
  const rng = new SeededRandom(0xc1_22_05);
  const cycleS = 20;
  const pitches = notes('F#5 A5 B5 C#6 D6 E6 F#6');
  const pans = [-0.8, -0.4, 0.4, 0.8];
  const parts: Part[] = pans.map((pan) => ({
    program: VOICE_OOHS, pan, reverb: 115, chorus: 60, volume: 96,
  }));

  const out: ScoreNote[] = [];
  for (let atS = 0; atS < cycleS; atS += rng.between(1.6, 3)) {
    out.push({
      part: rng.integer(0, parts.length - 1),
      midi: rng.pick(pitches),
      startS: atS,
      durationS: rng.between(6, 9),
      velocity: rng.integer(32, 46),
    });
  }

  return {
    info: {
      id: 'texture-cirrus-thin',
      layer: 'middle',
      role: 'texture',
      key: 'B',
      mode: 'minor',
      loop: true,
      tags: ['cirrus', 'thin', 'clear', 'oo'],
      gainDb: -7,
      description: 'Thin high "oo" threads, F#5-F#6, entering one by one and spread wide ' +
        '(Voice Oohs).',
    },
    lengthS: cycleS,
    parts,
    notes: out,
  };
}

/**
 * Wind: legato runs of B minor rising and falling across an octave, one gust about every
 * three seconds, blown from side to side, each gust swelling and dying with the expression.
 */
function wind(): StemSpec {
  const rng = new SeededRandom(0x3d_1a_d0);
  const cycleS = 24;
  const scale = notes('B3 C#4 D4 E4 F#4 G4 A4 B4 C#5 D5 E5 F#5');
  const pans = [-0.7, 0.7, -0.3, 0.3];
  const parts: Part[] = pans.map((pan) => ({
    program: SYNTH_VOICE, pan, reverb: 110, chorus: 30,
    swell: { periodS: 3, offsetS: -0.3, low: 40, high: 120 },
  }));

  const out: ScoreNote[] = [];
  for (let gust = 0; gust < cycleS / 3; gust++) {
    const part = gust % parts.length;
    const from = rng.integer(0, 4);
    const span = rng.integer(5, 7);
    const stepS = rng.between(0.16, 0.24);
    const up = [...Array(span).keys()].map((step) => from + step);
    const path = [...up, ...up.slice(0, -1).reverse()];
    path.forEach((degree, index) => {
      out.push({
        part,
        midi: scale[degree]!,
        startS: (gust * 3 + index * stepS) % cycleS,
        durationS: stepS * 1.6,
        velocity: rng.integer(46, 60),
      });
    });
  }

  return {
    info: {
      id: 'texture-wind',
      layer: 'middle',
      role: 'texture',
      key: 'B',
      mode: 'minor',
      loop: true,
      tags: ['wind'],
      gainDb: -7,
      description: 'Gusts: legato runs of B minor rising and falling an octave, swelling ' +
        'and dying every three seconds, side to side (Synth Voice).',
    },
    lengthS: cycleS,
    parts,
    notes: out,
  };
}

/** Open "ah" fifths in D swelling in and out every eight seconds, for a bright calm sky. */
function swellAh(): StemSpec {
  const rng = new SeededRandom(0x5e_11_a4);
  const chords = [chord(8, 0, 'D4 A4 E5'), chord(8, 0, 'D4 A4 F#5')];
  const swell = { periodS: 8, low: 30, high: 124 };

  return {
    info: {
      id: 'texture-swell-ah',
      layer: 'middle',
      role: 'texture',
      key: 'D',
      mode: 'major',
      loop: true,
      tags: ['swell', 'ah', 'clear'],
      gainDb: -7,
      description: 'Open "ah" fifths on D with a ninth or a third above, swelling from almost ' +
        'nothing every eight seconds (Choir Aahs).',
    },
    lengthS: 16,
    parts: [{ program: CHOIR_AAHS, pan: 0, reverb: 100, swell }],
    notes: chordLoop(chords, {
      rng, staggerS: 0.3, overlapS: 0.6, velocityLow: 62, velocityHigh: 72,
    }),
  };
}
