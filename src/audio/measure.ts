import { spawn } from 'node:child_process';

/** Planar stereo samples decoded from a file. */
export interface DecodedAudio {
  sampleRate: number;
  left: Float32Array;
  right: Float32Array;
}

/** Decodes any audio file ffmpeg reads to 48 kHz (or `sampleRate`) planar stereo floats. */
export async function decodeWithFfmpeg(path: string, ffmpegPath = 'ffmpeg', sampleRate = 48_000): Promise<DecodedAudio> {
  const child = spawn(ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-i', path, '-f', 'f32le', '-ac', '2', '-ar', String(sampleRate), 'pipe:1']);
  const chunks: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`cannot decode ${path}: ${stderr.trim() || `ffmpeg exited with ${code}`}`);

  const bytes = Buffer.concat(chunks);
  const interleaved = new Float32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.byteLength / 4));
  const frames = interleaved.length / 2;
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    left[i] = interleaved[2 * i]!;
    right[i] = interleaved[2 * i + 1]!;
  }
  return { sampleRate, left, right };
}

/** Largest |x[n] - x[n-1]| over [from, to) of either channel. */
export function largestStep(audio: DecodedAudio, from: number, to: number): number {
  let largest = 0;
  for (const channel of [audio.left, audio.right]) {
    for (let i = Math.max(1, from); i < Math.min(to, channel.length); i++) {
      largest = Math.max(largest, Math.abs(channel[i]! - channel[i - 1]!));
    }
  }
  return largest;
}

/** Largest |x[n]| over [from, to) of either channel. */
export function peak(audio: DecodedAudio, from: number, to: number): number {
  let largest = 0;
  for (const channel of [audio.left, audio.right]) {
    for (let i = Math.max(0, from); i < Math.min(to, channel.length); i++) largest = Math.max(largest, Math.abs(channel[i]!));
  }
  return largest;
}

/**
 * How far the largest step of a short window may exceed the largest step of its much longer
 * surroundings by chance alone. The maximum of noise-like material grows with the number of
 * samples looked at, so a 0.1 s window of drizzle or breath now and then holds a step a few
 * per cent above the two seconds around it; a cut of an audible voice adds its whole
 * amplitude, many times that.
 */
const CHANCE_MARGIN = 1.25;

/**
 * Whether a change at `frame` is free of clicks, by the measure a clean fade passes:
 * the largest neighbouring-sample step within ±`windowS` of the change may exceed the
 * signal's own largest step in the second on either side of that window by the chance
 * margin, plus what a linear 20 ms fade of the local peak adds per sample
 * (peak / (0.02 · rate)). A cut or a jump adds up to the whole amplitude in one sample and fails.
 */
export function clickAt(audio: DecodedAudio, frame: number, windowS = 0.05): { step: number; limit: number; clean: boolean } {
  const window = Math.round(windowS * audio.sampleRate);
  const context = audio.sampleRate;

  const step = largestStep(audio, frame - window, frame + window);
  const ownStep = Math.max(
    largestStep(audio, frame - window - context, frame - window),
    largestStep(audio, frame + window, frame + window + context),
  );
  const fadeAllowance = peak(audio, frame - window, frame + window) / (0.02 * audio.sampleRate);
  const limit = CHANCE_MARGIN * ownStep + fadeAllowance;
  return { step, limit, clean: step <= limit };
}

/** Root mean square level over [from, to) of both channels. */
export function rms(audio: DecodedAudio, from: number, to: number): number {
  let sum = 0;
  let count = 0;
  for (const channel of [audio.left, audio.right]) {
    for (let i = Math.max(0, from); i < Math.min(to, channel.length); i++) {
      sum += channel[i]! * channel[i]!;
      count++;
    }
  }
  return count === 0 ? 0 : Math.sqrt(sum / count);
}

/**
 * Mean spectral centroid in Hz over [from, to), from 4096-point Hann-windowed frames of
 * the mid channel, weighted by each frame's energy. Higher means brighter.
 */
export function spectralCentroid(audio: DecodedAudio, from: number, to: number, hop = 16_384): number {
  const size = 4096;
  const window = Float32Array.from({ length: size }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (size - 1)));
  let weighted = 0;
  let energy = 0;

  for (let start = Math.max(0, from); start + size <= Math.min(to, audio.left.length); start += hop) {
    const real = new Float64Array(size);
    const imag = new Float64Array(size);
    for (let i = 0; i < size; i++) real[i] = ((audio.left[start + i]! + audio.right[start + i]!) / 2) * window[i]!;
    fft(real, imag);

    for (let bin = 1; bin < size / 2; bin++) {
      const magnitude = Math.hypot(real[bin]!, imag[bin]!);
      weighted += magnitude * ((bin * audio.sampleRate) / size);
      energy += magnitude;
    }
  }
  return energy === 0 ? 0 : weighted / energy;
}

/** In-place radix-2 FFT; the length must be a power of two. */
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
    const angle = (-2 * Math.PI) / length;
    for (let i = 0; i < n; i += length) {
      for (let k = 0; k < length / 2; k++) {
        const wr = Math.cos(angle * k);
        const wi = Math.sin(angle * k);
        const a = i + k;
        const b = a + length / 2;
        const tr = real[b]! * wr - imag[b]! * wi;
        const ti = real[b]! * wi + imag[b]! * wr;
        real[b] = real[a]! - tr;
        imag[b] = imag[a]! - ti;
        real[a] = real[a]! + tr;
        imag[a] = imag[a]! + ti;
      }
    }
  }
}
