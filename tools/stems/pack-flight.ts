import { SeededRandom } from '../../src/composer/random.js';
import {
  CHOIR_AAHS, SYNTH_VOICE, VOICE_OOHS, midiOf,
  type Part, type ScoreNote, type StemSpec,
} from './score.js';

/** More of the fine layer: quick rising figures for flocks and more bird calls. */
export function flightStems(): StemSpec[] {
  return [
    flockRise(),
    flockWheel(),
    call('accent-bird-trill', 'B', 'minor', 3,
      'A trill F#5-G5 that breaks upward to a held B5 (Synth Voice).', SYNTH_VOICE,
      [['F#5', 0.07], ['G5', 0.07], ['F#5', 0.07], ['G5', 0.07], ['F#5', 0.07], ['B5', 0.6]]),
    call('accent-bird-fall', 'B', 'minor', 3,
      'C#6 falling to B5 and F#5, then one short note back up on B5 (Voice Oohs).', VOICE_OOHS,
      [['C#6', 0.2], ['B5', 0.12], ['F#5', 0.3], [null, 0.15], ['B5', 0.35]]),
    call('accent-bird-chirp', 'D', 'major', 2.5,
      'Three chirps: A5, A5, then up to D6 (Synth Voice).', SYNTH_VOICE,
      [['A5', 0.06], [null, 0.09], ['A5', 0.06], [null, 0.12], ['D6', 0.4]]),
  ];
}

/** [note name or null for a rest, seconds] */
type CallStep = [string | null, number];

/** A bird call: the steps one after another, slightly overlapped, louder as it goes. */
function call(
  id: string,
  key: string,
  mode: 'major' | 'minor',
  lengthS: number,
  description: string,
  program: number,
  steps: CallStep[],
): StemSpec {
  const out: ScoreNote[] = [];
  let atS = 0;
  steps.forEach(([name, durationS], index) => {
    if (name !== null) {
      const legatoS = index < steps.length - 1 ? 0.02 : 0;
      out.push({ part: 0, midi: midiOf(name), startS: atS, durationS: durationS + legatoS,
        velocity: Math.min(84 + index * 4, 110) });
    }
    atS += durationS;
  });

  return {
    info: { id, layer: 'fine', role: 'accent', key, mode, loop: false, tags: ['bird'],
      gainDb: -4, description },
    lengthS,
    parts: [{ program, pan: 0, reverb: 80 }],
    notes: out,
  };
}

/**
 * A flock taking off: three voices run up B minor from B4 one after another, each a beat
 * behind the last and a third apart, and land on a held Bm chord.
 */
function flockRise(): StemSpec {
  const rng = new SeededRandom(0xf1_e5_01);
  const runs = [
    { names: 'B4 C#5 D5 E5 F#5', part: 0, delayS: 0 },
    { names: 'D5 E5 F#5 G5 A5 B5', part: 1, delayS: 0.12 },
    { names: 'F#5 G5 A5 B5 C#6 D6', part: 2, delayS: 0.24 },
  ];
  const parts: Part[] = [
    { program: SYNTH_VOICE, pan: -0.5, reverb: 85 },
    { program: VOICE_OOHS, pan: 0.5, reverb: 85 },
    { program: SYNTH_VOICE, pan: 0, reverb: 85 },
  ];

  const out: ScoreNote[] = [];
  for (const run of runs) {
    const names = run.names.split(' ');
    names.forEach((name, index) => {
      const last = index === names.length - 1;
      const startS = run.delayS + index * 0.08 + rng.between(0, 0.015);
      out.push({ part: run.part, midi: midiOf(name), startS,
        durationS: last ? 1.6 : 0.1, velocity: 76 + index * 5 });
    });
  }

  return {
    info: { id: 'accent-flock-rise', layer: 'fine', role: 'accent', key: 'B', mode: 'minor',
      loop: false, tags: ['flock'], gainDb: -3,
      description: 'Three quick runs up B minor in thirds, B4 to D6, landing on a held Bm ' +
        '(Synth Voice, Voice Oohs).' },
    lengthS: 4,
    parts,
    notes: out,
  };
}

/**
 * A flock wheeling: pairs of voices leap up a D major arpeggio and turn, left then right,
 * the choir answering beneath with a short "ah" swell.
 */
function flockWheel(): StemSpec {
  const rng = new SeededRandom(0xf1_0c_42);
  const figure = ['D5', 'F#5', 'A5', 'D6', 'A5'];
  const parts: Part[] = [
    { program: SYNTH_VOICE, pan: -0.6, reverb: 90 },
    { program: SYNTH_VOICE, pan: 0.6, reverb: 90 },
    { program: CHOIR_AAHS, pan: 0, reverb: 95, volume: 88 },
  ];

  const out: ScoreNote[] = [];
  [0, 0.35, 0.7].forEach((delayS, wave) => {
    figure.forEach((name, index) => {
      const last = index === figure.length - 1;
      out.push({ part: wave % 2, midi: midiOf(name) + (wave === 2 ? -5 : 0),
        startS: delayS + index * 0.09 + rng.between(0, 0.02),
        durationS: last ? 0.9 : 0.11, velocity: 72 + index * 5 + wave * 4 });
    });
  });
  for (const name of ['D4', 'A4', 'F#4']) {
    out.push({ part: 2, midi: midiOf(name), startS: 0.5 + rng.between(0, 0.1), durationS: 2.4,
      velocity: 62 });
  }

  return {
    info: { id: 'accent-flock-wheel', layer: 'fine', role: 'accent', key: 'D', mode: 'major',
      loop: false, tags: ['flock'], gainDb: -3,
      description: 'Three waves leaping up D F# A D and turning, left, right, then lower, ' +
        'over a brief choir "ah" on D (Synth Voice, Choir Aahs).' },
    lengthS: 4.5,
    parts,
    notes: out,
  };
}
