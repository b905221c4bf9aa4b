/**
 * The key a stem sounds in, for `skychoir stems check`: a chroma profile (energy per pitch
 * class from FFT frames of the mid channel, 65 Hz to 2.1 kHz) correlated with the
 * Krumhansl-Kessler major and minor key profiles (the Krumhansl-Schmuckler method).
 *
 * Caveats: it hears a key centre, not a mode: the church modes are compared as the major
 * (lydian, mixolydian) or minor (dorian, phrygian) key on the same tonic. A stem with few
 * pitches (a drone on a fifth, a two-note bird call) fits several keys nearly as well, and
 * voices' harmonics pull a D major pad towards A major (the third harmonic adds the fifth
 * above); that is why a tag is accepted when it is among the two best keys, is the relative
 * of the best, or when its diatonic scale holds nearly as much of the energy as the best
 * scale does (`tagFits`). A tag a fifth away (G major for D major) passes; a tag a
 * semitone or a tritone away fails by a wide margin on the default pack.
 */

export const PITCH_CLASSES = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'] as const;

const MAJOR_PROFILE = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
const MINOR_PROFILE = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];
const FRAME = 16_384;
const MAX_FRAMES = 120;
const LOWEST_HZ = 65;
const HIGHEST_HZ = 2_100;

/** A key: tonic pitch class (0 = C) and major or minor. */
export interface Key {
  tonic: number;
  mode: 'major' | 'minor';
}

/** A key with its correlation with the stem's chroma (-1..1). */
export interface KeyFit extends Key {
  correlation: number;
}

export function keyName(key: Key): string {
  return `${PITCH_CLASSES[key.tonic]} ${key.mode}`;
}

/** The manifest's key tag ('F#', 'Bb') and mode as a major or minor key; null if unpitched. */
export function taggedKey(key: string | null, mode: string | null): Key | null {
  if (key === null || mode === null) return null;
  const natural = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 }[key[0] as 'C'];
  const accidental = key[1] === '#' ? 1 : key[1] === 'b' ? -1 : 0;
  const minorLike = mode === 'minor' || mode === 'dorian' || mode === 'phrygian';
  return { tonic: (natural + accidental + 12) % 12, mode: minorLike ? 'minor' : 'major' };
}

/** The relative key: B minor for D major, F major for D minor. */
export function relativeKey(key: Key): Key {
  return key.mode === 'major' ? { tonic: (key.tonic + 9) % 12, mode: 'minor' } : { tonic: (key.tonic + 3) % 12, mode: 'major' };
}

/** All 24 keys, best fit first, for a chroma profile (`chromaProfile`). */
export function rankKeys(chroma: readonly number[]): KeyFit[] {
  const fits: KeyFit[] = [];
  for (let tonic = 0; tonic < 12; tonic++) {
    for (const mode of ['major', 'minor'] as const) {
      const profile = mode === 'major' ? MAJOR_PROFILE : MINOR_PROFILE;
      const rotated = chroma.map((_: number, pitch: number) => profile[(pitch - tonic + 12) % 12]!);
      fits.push({ tonic, mode, correlation: correlation(chroma, rotated) });
    }
  }
  return fits.sort((a, b) => b.correlation - a.correlation);
}

/**
 * The tagged scale may hold this much less of the energy than the best scale (0..1). On
 * the default pack right tags are within 0.11 of the best; a semitone off is 0.3 below.
 */
const SCALE_SHARE_MARGIN = 0.15;

/**
 * Whether a tag fits the chroma: among the two best keys, the relative of the best, or its
 * scale within SCALE_SHARE_MARGIN of the best scale's share of the energy.
 */
export function tagFits(tag: Key, chroma: readonly number[]): boolean {
  const ranking = rankKeys(chroma);
  const same = (a: Key, b: Key) => a.tonic === b.tonic && a.mode === b.mode;
  if (ranking.slice(0, 2).some((fit) => same(fit, tag)) || same(relativeKey(ranking[0]!), tag)) return true;

  const bestShare = Math.max(...PITCH_CLASSES.map((_, tonic) => scaleShare(chroma, { tonic, mode: 'major' })));
  return scaleShare(chroma, tag) >= bestShare - SCALE_SHARE_MARGIN;
}

/** The share (0..1) of the chroma's energy on the seven notes of the key's diatonic scale. */
export function scaleShare(chroma: readonly number[], key: Key): number {
  const majorTonic = key.mode === 'major' ? key.tonic : (key.tonic + 3) % 12;
  const inScale = [0, 2, 4, 5, 7, 9, 11].reduce((sum, step) => sum + chroma[(majorTonic + step) % 12]!, 0);
  const total = chroma.reduce((sum, value) => sum + value, 0);
  return total === 0 ? 0 : inScale / total;
}

/**
 * Spectral magnitude per pitch class (index 0 = C), summed over up to MAX_FRAMES
 * Hann-windowed frames; `left` and `right` are linear samples at `sampleRate` Hz.
 */
export function chromaProfile(left: Float32Array, right: Float32Array, sampleRate: number): number[] {
  const chroma = new Array<number>(12).fill(0);
  const frameCount = Math.floor(left.length / FRAME);
  const stride = Math.max(1, Math.ceil(frameCount / MAX_FRAMES));
  const window = Float64Array.from({ length: FRAME }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (FRAME - 1)));
  const pitchOfBin = Int8Array.from({ length: FRAME / 2 }, (_, bin) => {
    const hz = (bin * sampleRate) / FRAME;
    if (hz < LOWEST_HZ || hz > HIGHEST_HZ) return -1;
    return ((Math.round(12 * Math.log2(hz / 440)) + 9) % 12 + 12) % 12;
  });

  for (let frame = 0; frame < frameCount; frame += stride) {
    const real = new Float64Array(FRAME);
    const imag = new Float64Array(FRAME);
    for (let i = 0; i < FRAME; i++) real[i] = ((left[frame * FRAME + i]! + right[frame * FRAME + i]!) / 2) * window[i]!;
    fft(real, imag);
    for (let bin = 0; bin < FRAME / 2; bin++) {
      const pitch = pitchOfBin[bin]!;
      if (pitch >= 0) chroma[pitch]! += Math.hypot(real[bin]!, imag[bin]!);
    }
  }
  return chroma;
}

/** Pearson correlation of two equal-length series. */
function correlation(a: readonly number[], b: readonly number[]): number {
  const meanA = a.reduce((sum, x) => sum + x, 0) / a.length;
  const meanB = b.reduce((sum, x) => sum + x, 0) / b.length;
  let product = 0, squaresA = 0, squaresB = 0;
  for (let i = 0; i < a.length; i++) {
    product += (a[i]! - meanA) * (b[i]! - meanB);
    squaresA += (a[i]! - meanA) ** 2;
    squaresB += (b[i]! - meanB) ** 2;
  }
  return squaresA === 0 || squaresB === 0 ? 0 : product / Math.sqrt(squaresA * squaresB);
}

/** cos and sin of -2πk/FRAME, for the FFT's twiddle factors. */
const COS = Float64Array.from({ length: FRAME / 2 }, (_, k) => Math.cos((-2 * Math.PI * k) / FRAME));
const SIN = Float64Array.from({ length: FRAME / 2 }, (_, k) => Math.sin((-2 * Math.PI * k) / FRAME));

/** In-place radix-2 FFT of FRAME points. */
function fft(real: Float64Array, imag: Float64Array): void {
  const n = real.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [real[i], real[j]] = [real[j]!, real[i]!];
      [imag[i], imag[j]] = [imag[j]!, imag[i]!];
    }
  }
  for (let length = 2; length <= n; length <<= 1) {
    const half = length / 2;
    const stride = n / length;
    for (let i = 0; i < n; i += length) {
      for (let k = 0; k < half; k++) {
        const wr = COS[k * stride]!, wi = SIN[k * stride]!;
        const a = i + k, b = a + half;
        const tr = real[b]! * wr - imag[b]! * wi;
        const ti = real[b]! * wi + imag[b]! * wr;
        real[b] = real[a]! - tr; imag[b] = imag[a]! - ti;
        real[a] = real[a]! + tr; imag[a] = imag[a]! + ti;
      }
    }
  }
}
