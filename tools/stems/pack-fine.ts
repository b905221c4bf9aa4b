import { SeededRandom } from '../../src/composer/random.js';
import {
  CHOIR_AAHS, SYNTH_VOICE, VOICE_OOHS, notes,
  type Part, type ScoreNote, type StemSpec,
} from './score.js';

/** The fine layer: short one-shot accents that answer birds and flocks. */
export function fineStems(): StemSpec[] {
  return [
    bird('accent-bird-lift', 'A quick lift A5-B5 to a held D6 (Synth Voice).', 3, SYNTH_VOICE, [
      ['A5', 0.09], ['B5', 0.09], ['D6', 0.55],
    ]),
    bird('accent-bird-call', 'Two rising calls F#5 to A5, the second longer (Voice Oohs).', 3.5,
      VOICE_OOHS, [['F#5', 0.14], ['A5', 0.3], [null, 0.25], ['F#5', 0.14], ['A5', 0.6]]),
    bird('accent-bird-run', 'A fast run up the pentatonic, D5 to D6 (Synth Voice).', 3,
      SYNTH_VOICE, [['D5', 0.07], ['E5', 0.07], ['F#5', 0.07], ['A5', 0.07], ['B5', 0.07],
        ['D6', 0.45]]),
    bird('accent-bird-leap', 'E5 leaping a fifth to B5, then a fourth to E6 (Voice Oohs).',
      3.5, VOICE_OOHS, [['E5', 0.18], ['B5', 0.18], ['E6', 0.7]]),
    flock(),
  ];
}

/** [note name or null for a rest, seconds] */
type FigureStep = [string | null, number];

/** A short rising figure: the steps played one after another, slightly overlapped. */
function bird(
  id: string,
  description: string,
  lengthS: number,
  program: number,
  steps: FigureStep[],
): StemSpec {
  const out: ScoreNote[] = [];
  let atS = 0;
  steps.forEach(([name, durationS], index) => {
    if (name !== null) {
      const legatoS = index < steps.length - 1 ? 0.03 : 0;
      const velocity = 84 + index * 4;
      out.push({ part: 0, midi: notes(name)[0]!, startS: atS, durationS: durationS + legatoS,
        velocity: Math.min(velocity, 110) });
    }
    atS += durationS;
  });

  return {
    info: {
      id,
      layer: 'fine',
      role: 'accent',
      key: 'D',
      mode: 'major',
      loop: false,
      tags: ['bird'],
      gainDb: -4,
      description,
    },
    lengthS,
    parts: [{ program, pan: 0, reverb: 80 }],
    notes: out,
  };
}

/**
 * A flock: voices entering one after another from D4 up to B5, alternately left and
 * right, ahs below and oohs above, swelling into a full cluster that then dies away.
 */
function flock(): StemSpec {
  const rng = new SeededRandom(0xf1_0c_c0);
  const entries = notes('D4 F#4 A4 D5 E5 F#5 A5 B5');
  const parts: Part[] = [
    { program: CHOIR_AAHS, pan: -0.5, reverb: 90 },
    { program: CHOIR_AAHS, pan: 0.5, reverb: 90 },
    { program: VOICE_OOHS, pan: -0.3, reverb: 90 },
    { program: VOICE_OOHS, pan: 0.3, reverb: 90 },
  ];

  const out: ScoreNote[] = entries.map((midi, index) => {
    const startS = index * 0.17 + rng.between(0, 0.04);
    const part = (index < 4 ? 0 : 2) + (index % 2);
    return { part, midi, startS, durationS: 2.7 - startS, velocity: 70 + index * 4 };
  });

  return {
    info: {
      id: 'accent-flock',
      layer: 'fine',
      role: 'accent',
      key: 'D',
      mode: 'major',
      loop: false,
      tags: ['flock'],
      gainDb: -2,
      description: 'A fuller rising cluster, D4 up to B5 entering voice by voice (choir).',
    },
    lengthS: 5.5,
    parts,
    notes: out,
  };
}
