/**
 * Integrated loudness per ITU-R BS.1770-4 (the measure EBU R128 uses), computed in
 * TypeScript on decoded samples so the stem library can measure a stem as it loads it
 * without running ffmpeg. Checked against ffmpeg's `ebur128` filter on the stems of the
 * default pack and on test tones (test/audio/loudness.test.ts): within 0.3 LU.
 *
 * Caveats: channels are weighted 1 each (left and right; no surround weights); loudness
 * is gated over whole 400 ms blocks only, so a signal shorter than 400 ms has none
 * (-Infinity), as in the standard.
 */

/** Biquad coefficients, a0 normalised to 1. */
export interface Biquad {
  b: [number, number, number];
  a: [number, number];
}

/** Blocks quieter than this never count (LUFS). */
const ABSOLUTE_GATE_LUFS = -70;
/** Blocks quieter than the ungated mean by more than this do not count (LU). */
const RELATIVE_GATE_LU = -10;
const BLOCK_S = 0.4;
const STEP_S = 0.1;

/**
 * Integrated loudness in LUFS of planar channels (linear samples, -1..1 full scale) at
 * `sampleRate` Hz. -Infinity for silence or for less than one 400 ms block of audio.
 */
export function integratedLoudness(channels: readonly Float32Array[], sampleRate: number): number {
  const filters = kWeighting(sampleRate);
  const step = Math.round(STEP_S * sampleRate);
  const stepsPerBlock = Math.round(BLOCK_S / STEP_S);
  const length = Math.min(...channels.map((samples) => samples.length));
  const segments = Math.floor(length / step);

  const segmentEnergy = new Float64Array(segments);
  for (const samples of channels) {
    const weighted = applyBiquad(applyBiquad(samples, filters[0]), filters[1]);
    for (let segment = 0; segment < segments; segment++) {
      let sum = 0;
      for (let i = segment * step; i < (segment + 1) * step; i++) sum += weighted[i]! * weighted[i]!;
      segmentEnergy[segment]! += sum;
    }
  }

  const blockPower: number[] = [];
  for (let first = 0; first + stepsPerBlock <= segments; first++) {
    let sum = 0;
    for (let segment = first; segment < first + stepsPerBlock; segment++) sum += segmentEnergy[segment]!;
    blockPower.push(sum / (stepsPerBlock * step));
  }

  const aboveAbsolute = blockPower.filter((power) => loudnessOf(power) > ABSOLUTE_GATE_LUFS);
  if (aboveAbsolute.length === 0) return -Infinity;
  const relativeGate = loudnessOf(mean(aboveAbsolute)) + RELATIVE_GATE_LU;
  const gated = aboveAbsolute.filter((power) => loudnessOf(power) > relativeGate);
  return loudnessOf(mean(gated));
}

/** Mean-square power of K-weighted samples to LUFS. */
function loudnessOf(power: number): number {
  return -0.691 + 10 * Math.log10(power);
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/**
 * The two K-weighting stages at any rate: a high shelf (+4 dB above about 1.7 kHz, the
 * head's effect) and a high-pass near 38 Hz (RLB), designed as libebur128 does; at 48 kHz
 * they equal the coefficients tabled in BS.1770-4.
 */
export function kWeighting(sampleRate: number): [Biquad, Biquad] {
  const shelfK = Math.tan((Math.PI * 1681.974450955533) / sampleRate);
  const shelfQ = 0.7071752369554196;
  const vh = 10 ** (3.999843853973347 / 20);
  const vb = vh ** 0.4996667741545416;
  const shelfA0 = 1 + shelfK / shelfQ + shelfK * shelfK;
  const shelf: Biquad = {
    b: [
      (vh + (vb * shelfK) / shelfQ + shelfK * shelfK) / shelfA0,
      (2 * (shelfK * shelfK - vh)) / shelfA0,
      (vh - (vb * shelfK) / shelfQ + shelfK * shelfK) / shelfA0,
    ],
    a: [(2 * (shelfK * shelfK - 1)) / shelfA0, (1 - shelfK / shelfQ + shelfK * shelfK) / shelfA0],
  };

  const passK = Math.tan((Math.PI * 38.13547087602444) / sampleRate);
  const passQ = 0.5003270373238773;
  const passA0 = 1 + passK / passQ + passK * passK;
  const highPass: Biquad = {
    b: [1, -2, 1],
    a: [(2 * (passK * passK - 1)) / passA0, (1 - passK / passQ + passK * passK) / passA0],
  };
  return [shelf, highPass];
}

/** Direct form I, in double precision; returns a new array. */
function applyBiquad(samples: ArrayLike<number>, { b, a }: Biquad): Float64Array {
  const out = new Float64Array(samples.length);
  let x1 = 0, x2 = 0, y1 = 0, y2 = 0;
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i]!;
    const y = b[0] * x + b[1] * x1 + b[2] * x2 - a[0] * y1 - a[1] * y2;
    out[i] = y;
    x2 = x1; x1 = x;
    y2 = y1; y1 = y;
  }
  return out;
}
