import { SeededRandom } from '../../src/composer/random.js';
import {
  CHOIR_AAHS, SYNTH_VOICE, VOICE_OOHS, chord, chordLoop, midiOf,
  type ScoreNote, type StemSpec,
} from './score.js';

/**
 * More of the middle layer: grey and stormy weather, looped. B minor ones share D
 * major's pitches, so any of them may sound over any bed.
 */
export function weatherStems(): StemSpec[] {
  return [nimbusDrone(), stormClusters(), fogBed()];
}

/**
 * Basses humming B1, F#2 and B2 under rain clouds, each re-entering twice a cycle at its
 * own moment, the whole breathing in a slow twelve-second swell.
 */
function nimbusDrone(): StemSpec {
  const rng = new SeededRandom(0x41_b0_5d);
  const cycleS = 24;
  const voices = [
    { name: 'B1', part: 0, offsetS: 0, velocity: 66 },
    { name: 'F#2', part: 1, offsetS: 5, velocity: 54 },
    { name: 'B2', part: 0, offsetS: 9, velocity: 50 },
  ];

  const out: ScoreNote[] = [];
  for (const voice of voices) {
    for (const halfS of [0, cycleS / 2]) {
      out.push({
        part: voice.part,
        midi: midiOf(voice.name),
        startS: (voice.offsetS + halfS + rng.between(0, 0.4)) % cycleS,
        durationS: cycleS / 2 + 3,
        velocity: voice.velocity + rng.integer(-4, 4),
      });
    }
  }
  const swell = { periodS: 12, low: 80, high: 120 };

  return {
    info: {
      id: 'drone-nimbus-low',
      layer: 'middle',
      role: 'drone',
      key: 'B',
      mode: 'minor',
      loop: true,
      tags: ['overcast', 'rain', 'nimbostratus', 'mm'],
      gainDb: -4,
      description: 'A very low hummed "mm" drone on B and F#, B1-B2, slowly swelling (Voice Oohs).',
    },
    lengthS: cycleS,
    parts: [
      { program: VOICE_OOHS, pan: -0.2, reverb: 95, swell },
      { program: VOICE_OOHS, pan: 0.2, reverb: 95, swell: { ...swell, offsetS: 4 } },
    ],
    notes: out,
  };
}

/**
 * Close clusters for a storm: five neighbouring pitches of B minor sung "ah" at once,
 * surging every six seconds, low and dark, moving between three clusters.
 * Known weakness: its rendered cycles repeat less exactly than the other loops (they differ
 * by about -49 dB, against -120 dB or better), for a reason not yet found; the cut-and-
 * crossfade keeps the wrap continuous all the same (seam step under 2x typical before encoding).
 */
function stormClusters(): StemSpec {
  const rng = new SeededRandom(0x57_0e_44);
  const chords = [
    chord(6, 0, 'B2 C#3 D3 E3 F#3'),
    chord(6, 0, 'G2 A2 B2 C#3 D3'),
    chord(6, 0, 'A2 B2 C#3 D3 E3'),
    chord(6, 0, 'F#2 G2 A2 B2 C#3'),
  ];
  const surge = { periodS: 6, offsetS: -1.5, low: 50, high: 127 };
  const low = chordLoop(chords, {
    rng, staggerS: 0.25, overlapS: 0.4, velocityLow: 76, velocityHigh: 92,
  });
  const high = chordLoop(chords, {
    rng, staggerS: 0.4, overlapS: 0.4, velocityLow: 50, velocityHigh: 64,
  }).map((note) => ({ ...note, part: 1, midi: note.midi + 12 }));

  return {
    info: {
      id: 'texture-storm-cluster',
      layer: 'middle',
      role: 'texture',
      key: 'B',
      mode: 'minor',
      loop: true,
      tags: ['thunder', 'storm', 'cumulonimbus', 'ah'],
      gainDb: -4,
      description: 'Dark close clusters of B minor around B2, doubled an octave up, surging ' +
        'every six seconds (Choir Aahs, Synth Voice).',
    },
    lengthS: 24,
    parts: [
      { program: CHOIR_AAHS, pan: 0, reverb: 80, swell: surge },
      { program: SYNTH_VOICE, pan: 0, reverb: 95, volume: 80, swell: surge },
    ],
    notes: [...low, ...high],
  };
}

/** A soft blurred hum in the middle register, D3 to E4, rolling in and out like fog. */
function fogBed(): StemSpec {
  const rng = new SeededRandom(0xf0_9b_ed);
  const chords = [
    chord(12, 0, 'D3 A3 D4 E4'),
    chord(12, 0, 'D3 G3 A3 D4'),
  ];
  const swell = { periodS: 12, offsetS: 3, low: 70, high: 118 };

  return {
    info: {
      id: 'texture-fog-mm',
      layer: 'middle',
      role: 'texture',
      key: 'D',
      mode: 'major',
      loop: true,
      tags: ['fog', 'mist', 'overcast', 'mm'],
      gainDb: -8,
      description: 'A soft hummed "mm" on Dsus2 and Dsus4, rolling in and out every twelve ' +
        'seconds (Voice Oohs).',
    },
    lengthS: 24,
    parts: [
      { program: VOICE_OOHS, pan: -0.4, reverb: 110, volume: 90, swell },
      { program: VOICE_OOHS, pan: 0.4, reverb: 110, volume: 90, swell: { ...swell, offsetS: 9 } },
    ],
    notes: chordLoop(chords, {
      rng, staggerS: 1.5, overlapS: 1.5, velocityLow: 34, velocityHigh: 44,
    }).map((note, index) => ({ ...note, part: index % 2 })),
  };
}
