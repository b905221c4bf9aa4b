/**
 * An in-place radix-2 FFT on real and imaginary arrays (length a power of two), and a
 * cross-correlation built on it. Plain code for the bench's audio measurements; no
 * dependency is worth it for this.
 */

/** Forward FFT in place; `inverse` runs the unscaled inverse (divide by the length after). */
export function fft(real: Float64Array, imag: Float64Array, inverse = false): void {
  const size = real.length;
  if ((size & (size - 1)) !== 0) throw new RangeError(`FFT length ${size} is not a power of two`);

  for (let index = 1, reversed = 0; index < size; index++) {
    let bit = size >> 1;
    for (; reversed & bit; bit >>= 1) reversed ^= bit;
    reversed ^= bit;
    if (index < reversed) {
      [real[index], real[reversed]] = [real[reversed]!, real[index]!];
      [imag[index], imag[reversed]] = [imag[reversed]!, imag[index]!];
    }
  }

  const sign = inverse ? 1 : -1;
  const cos = new Float64Array(size / 2);
  const sin = new Float64Array(size / 2);
  for (let k = 0; k < size / 2; k++) [cos[k], sin[k]] = [Math.cos((2 * Math.PI * k) / size), sign * Math.sin((2 * Math.PI * k) / size)];

  for (let length = 2; length <= size; length <<= 1) {
    const stride = size / length;
    for (let offset = 0; offset < size; offset += length) {
      for (let k = 0; k < length / 2; k++) {
        const [c, s] = [cos[k * stride]!, sin[k * stride]!];
        const [a, b] = [offset + k, offset + k + length / 2];
        const tr = real[b]! * c - imag[b]! * s;
        const ti = real[b]! * s + imag[b]! * c;
        real[b] = real[a]! - tr;
        imag[b] = imag[a]! - ti;
        real[a] = real[a]! + tr;
        imag[a] = imag[a]! + ti;
      }
    }
  }
}

/** corr[lag] = sum over i of signal[lag + i] * template[i], for lags 0..signal.length - template.length. */
export function crossCorrelate(signal: Float32Array, template: Float32Array): Float64Array {
  let size = 1;
  while (size < signal.length + template.length) size <<= 1;

  const [sr, si] = [new Float64Array(size), new Float64Array(size)];
  sr.set(signal);
  const [tr, ti] = [new Float64Array(size), new Float64Array(size)];
  tr.set(template);
  fft(sr, si);
  fft(tr, ti);

  // signal times the template's conjugate, then back.
  for (let bin = 0; bin < size; bin++) {
    const [re, im] = [sr[bin]! * tr[bin]! + si[bin]! * ti[bin]!, si[bin]! * tr[bin]! - sr[bin]! * ti[bin]!];
    [sr[bin], si[bin]] = [re, im];
  }
  fft(sr, si, true);

  const lags = signal.length - template.length + 1;
  const corr = new Float64Array(Math.max(0, lags));
  for (let lag = 0; lag < corr.length; lag++) corr[lag] = sr[lag]! / size;
  return corr;
}
