/**
 * Reads a rendered file once, streaming, and measures what the report shows: a log-frequency
 * spectrogram with one column per picture pixel, and level and brightness per slice of audio.
 * Memory stays bounded whatever the length: at most one FFT frame plus one decoded chunk.
 */
import { spawn } from 'node:child_process';
import { fft } from './fft.js';

/** Analysis rate: Nyquist (16 kHz) above the spectrogram's 12 kHz top. */
export const ANALYSIS_RATE = 32_000;
const FFT_SIZE = 4096;
/** FFT frames averaged into one spectrogram column at most (fewer when the audio is short). */
const FRAMES_PER_COLUMN = 6;

export interface AnalysisOptions {
  ffmpegPath: string;
  /** Length of the audio in seconds, from the render log (the decoder does not say it first). */
  durationS: number;
  /** Spectrogram columns, usually the plot's width in pixels. */
  columns: number;
  /** Spectrogram rows, low frequency at row 0. */
  rows: number;
  lowHz: number;
  highHz: number;
  /** Length of each feature slice in audio seconds (one sky hour is 3600 / speed). */
  sliceS: number;
}

export interface AudioAnalysis {
  /** Mean power per column and row (row-major by column: `power[column * rows + row]`), linear. */
  power: Float32Array;
  columns: number;
  rows: number;
  /** Per slice: RMS of the mid channel (linear, 0..1 full scale) and energy-weighted spectral centroid in Hz. */
  slices: Array<{ rms: number; centroidHz: number }>;
}

/**
 * Decodes `path` with ffmpeg to mono (the mid channel, (L+R)/2) at {@link ANALYSIS_RATE} and
 * analyses it as it streams. Fails naming the file when ffmpeg cannot read it.
 */
export async function analyseAudio(path: string, options: AnalysisOptions): Promise<AudioAnalysis> {
  const analyser = new StreamingAnalyser(options);
  const child = spawn(options.ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-i', path, '-af', 'pan=mono|c0=0.5*c0+0.5*c1', '-f', 'f32le', '-ar', String(ANALYSIS_RATE), 'pipe:1']);
  let stderr = '';
  let carry = Buffer.alloc(0);
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  child.stdout.on('data', (chunk: Buffer) => {
    const bytes = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const whole = bytes.length - (bytes.length % 4);
    analyser.push(new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + whole)));
    carry = Buffer.from(bytes.subarray(whole));
  });

  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', (error) => reject(new Error(`cannot analyse ${path}: ${error.message}`)));
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`cannot analyse ${path}: ${stderr.trim() || `ffmpeg exited with ${code}`}`);
  return analyser.finish();
}

class StreamingAnalyser {
  private readonly totalSamples: number;
  private readonly hop: number;
  private readonly framesPerColumn: number;
  private readonly window: Float64Array;
  private readonly rowBins: Array<[number, number]>;
  private readonly power: Float32Array;
  private readonly framesInColumn: Uint16Array;
  private readonly sliceSamples: number;
  private readonly slices: Array<{ squares: number; count: number; weighted: number; energy: number }> = [];
  /** Samples kept from `bufferStart` on: the part the next FFT frames still need. */
  private buffer = new Float32Array(0);
  private bufferStart = 0;
  private samplesSeen = 0;
  private nextFrame = 0;

  constructor(private readonly options: AnalysisOptions) {
    this.totalSamples = Math.max(1, Math.round(options.durationS * ANALYSIS_RATE));
    const samplesPerColumn = this.totalSamples / options.columns;
    this.framesPerColumn = Math.max(1, Math.min(FRAMES_PER_COLUMN, Math.floor(samplesPerColumn / (FFT_SIZE / 4))));
    this.hop = samplesPerColumn / this.framesPerColumn;
    this.window = Float64Array.from({ length: FFT_SIZE }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (FFT_SIZE - 1)));
    this.rowBins = logRowBins(options.rows, options.lowHz, options.highHz);
    this.power = new Float32Array(options.columns * options.rows);
    this.framesInColumn = new Uint16Array(options.columns);
    this.sliceSamples = Math.max(1, options.sliceS * ANALYSIS_RATE);
  }

  push(samples: Float32Array): void {
    for (let i = 0; i < samples.length; ) {
      const index = Math.floor((this.samplesSeen + i) / this.sliceSamples);
      const slice = this.slice(this.samplesSeen + i);
      const end = Math.min(samples.length, Math.ceil((index + 1) * this.sliceSamples) - this.samplesSeen);
      slice.count += end - i;
      for (; i < end; i++) slice.squares += samples[i]! * samples[i]!;
    }
    this.samplesSeen += samples.length;

    const joined = new Float32Array(this.buffer.length + samples.length);
    joined.set(this.buffer);
    joined.set(samples, this.buffer.length);
    this.buffer = joined;

    for (let start = this.frameStart(); start + FFT_SIZE <= this.bufferStart + this.buffer.length; start = this.frameStart()) {
      this.analyseFrame(start);
      this.nextFrame++;
    }
    const keepFrom = Math.min(this.frameStart(), this.bufferStart + this.buffer.length) - this.bufferStart;
    this.buffer = this.buffer.slice(keepFrom);
    this.bufferStart += keepFrom;
  }

  finish(): AudioAnalysis {
    for (let column = 0; column < this.options.columns; column++) {
      const frames = this.framesInColumn[column]!;
      for (let row = 0; row < this.options.rows && frames > 0; row++) this.power[column * this.options.rows + row]! /= frames;
    }
    const slices = this.slices.map((s) => ({
      rms: s.count === 0 ? 0 : Math.sqrt(s.squares / s.count),
      centroidHz: s.energy === 0 ? 0 : s.weighted / s.energy,
    }));
    return { power: this.power, columns: this.options.columns, rows: this.options.rows, slices };
  }

  private frameStart(): number {
    return Math.floor(this.nextFrame * this.hop);
  }

  private slice(sample: number) {
    const index = Math.floor(sample / this.sliceSamples);
    while (this.slices.length <= index) this.slices.push({ squares: 0, count: 0, weighted: 0, energy: 0 });
    return this.slices[index]!;
  }

  private analyseFrame(start: number): void {
    const real = new Float64Array(FFT_SIZE);
    const imag = new Float64Array(FFT_SIZE);
    const offset = start - this.bufferStart;
    for (let i = 0; i < FFT_SIZE; i++) real[i] = this.buffer[offset + i]! * this.window[i]!;
    fft(real, imag);

    const magnitudes = new Float64Array(FFT_SIZE / 2);
    const slice = this.slice(start + FFT_SIZE / 2);
    for (let bin = 1; bin < FFT_SIZE / 2; bin++) {
      magnitudes[bin] = Math.hypot(real[bin]!, imag[bin]!);
      slice.weighted += magnitudes[bin]! * ((bin * ANALYSIS_RATE) / FFT_SIZE);
      slice.energy += magnitudes[bin]!;
    }

    const column = Math.min(this.options.columns - 1, Math.floor(this.nextFrame / this.framesPerColumn));
    this.framesInColumn[column]!++;
    this.rowBins.forEach(([from, to], row) => {
      let sum = 0;
      for (let bin = from; bin <= to; bin++) sum += magnitudes[bin]! ** 2;
      this.power[column * this.options.rows + row]! += sum / (to - from + 1);
    });
  }
}

/** FFT bins [from, to] that fall in each row's band of a log-spaced axis; at least the nearest bin. */
function logRowBins(rows: number, lowHz: number, highHz: number): Array<[number, number]> {
  const binHz = ANALYSIS_RATE / FFT_SIZE;
  const edge = (row: number) => lowHz * (highHz / lowHz) ** (row / rows);
  return Array.from({ length: rows }, (_, row) => {
    const from = Math.max(1, Math.ceil(edge(row) / binHz));
    const to = Math.min(FFT_SIZE / 2 - 1, Math.floor(edge(row + 1) / binHz));
    if (to >= from) return [from, to] as [number, number];
    const nearest = Math.max(1, Math.round(Math.sqrt(edge(row) * edge(row + 1)) / binHz));
    return [nearest, nearest] as [number, number];
  });
}
