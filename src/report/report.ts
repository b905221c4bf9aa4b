/**
 * The render report: after a render, a timeline picture (`<out>.report.svg` and `.png`) and a
 * JSON log (`<out>.report.json`) of why the music did what it did. It only reads the finished
 * audio file and the render log, so it cannot change the audio.
 */
import { writeFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import sharp from 'sharp';
import { analyseAudio, type AudioAnalysis } from './audio-analysis.js';
import { localTime } from './axis.js';
import { stemColours } from './colours.js';
import { LAYERS, parseRenderLog, spansFromPlan, type ReportLog, type StemLengths, type StemSpan } from './report-data.js';
import { weatherSeries } from './sky-lanes.js';
import { spectrogramPng } from './spectrogram.js';
import { timelineSvg } from './timeline-svg.js';

export const SPECTROGRAM_LOW_HZ = 50;
export const SPECTROGRAM_HIGH_HZ = 12_000;
const SPECTROGRAM_ROWS = 200;
/** Bands of the per-hour spectrum in the report JSON; each holds SPECTROGRAM_ROWS / BANDS rows. */
export const BANDS = 8;

export interface RenderReportOptions {
  /** The render log as written next to the audio (parsed here; a wrong shape is an InputError). */
  renderLog: unknown;
  /** The finished audio file the log describes. */
  audioPath: string;
  ffmpegPath: string;
  log: Logger;
  /** Picture width in pixels (readable from 1600 to 2400); default 2000. */
  width?: number;
  /** Stems' lengths, so a one-shot accent's bar ends where its sound does; without them it lasts until its stop or the day's end. */
  stemLengths?: StemLengths;
}

export interface RenderReportResult {
  pngPath: string;
  svgPath: string;
  jsonPath: string;
  width: number;
  height: number;
}

/** Writes the report's three files next to the audio. The audio is read once, streaming. */
export async function writeRenderReport(options: RenderReportOptions): Promise<RenderReportResult> {
  const log = options.log.child({ component: 'report' });
  const renderLog = parseRenderLog(options.renderLog, `${options.audioPath}.json`);
  const width = options.width ?? 2000;
  const spans = spansFromPlan(renderLog, options.stemLengths);
  const playedIds = [...new Set(spans.map((s) => s.stemId))];
  log.info({ audio: options.audioPath, width }, 'report started');

  const analysis = await analyseAudio(options.audioPath, {
    ffmpegPath: options.ffmpegPath,
    durationS: renderLog.audioFrames / renderLog.sampleRate,
    columns: width,
    rows: SPECTROGRAM_ROWS,
    lowHz: SPECTROGRAM_LOW_HZ,
    highHz: SPECTROGRAM_HIGH_HZ,
    sliceS: 3600 / renderLog.speed,
  });

  const picture = timelineSvg({
    log: renderLog, spans, stemColours: stemColours(playedIds), width,
    spectrogramPng: await spectrogramPng(analysis), lowHz: SPECTROGRAM_LOW_HZ, highHz: SPECTROGRAM_HIGH_HZ,
  });
  const base = `${options.audioPath}.report`;
  const paths = { pngPath: `${base}.png`, svgPath: `${base}.svg`, jsonPath: `${base}.json` };
  await writeFile(paths.svgPath, picture.svg);
  await sharp(Buffer.from(picture.svg)).png().toFile(paths.pngPath);

  const json = reportJson(renderLog, spans, analysis, { ...picture, png: paths.pngPath, svg: paths.svgPath });
  await writeFile(paths.jsonPath, JSON.stringify(json, null, 1));
  log.info({ ...paths, height: picture.height }, 'report written');
  return { ...paths, width: picture.width, height: picture.height };
}

/** Per sky hour from the day's start: the audio it became, its sound, its weather and stems. */
export interface ReportHour {
  startAt: string;
  localTime: string;
  audioFromS: number;
  audioToS: number;
  /** Mid-channel RMS in dBFS (-Infinity written as null for digital silence). */
  rmsDb: number | null;
  /** Energy-weighted mean spectral centroid, Hz (0 for silence). */
  centroidHz: number;
  /**
   * Mean power in dB (relative to full-scale-ish FFT units, comparable between hours of one
   * report only) in {@link BANDS} equal log-frequency bands from 50 Hz to 12 kHz, low first.
   */
  bandsDb: number[];
  /** The hour's weather observation in force at its start, where there was one. */
  precipitationMmPerHour: number | null;
  cloudCover: number | null;
  /** Stems sounding at any time in the hour. */
  stems: string[];
}

/** Mean power per band of the spectrogram columns whose centres lie in [from, to) of the audio (fractions). */
function bandLevels(analysis: AudioAnalysis, from: number, to: number): number[] {
  const { columns, rows, power } = analysis;
  const rowsPerBand = rows / BANDS;
  const sums = new Array<number>(BANDS).fill(0);
  let count = 0;
  for (let column = 0; column < columns; column++) {
    const centre = (column + 0.5) / columns;
    if (centre < from || centre >= to) continue;
    count++;
    for (let row = 0; row < rows; row++) sums[Math.floor(row / rowsPerBand)]! += power[column * rows + row]! / rowsPerBand;
  }
  return sums.map((sum) => Math.round(10 * Math.log10(sum / Math.max(1, count) + 1e-20) * 10) / 10);
}

function reportJson(log: ReportLog, spans: StemSpan[], analysis: AudioAnalysis, picture: { png: string; svg: string; width: number; height: number }) {
  const startMs = Date.parse(log.day.startAt);
  const hourS = 3600 / log.speed;
  const weather = weatherSeries(log);

  const audioS = log.audioFrames / log.sampleRate;
  // The decoder may give a few samples past the log's length: no hour starts there.
  const slices = analysis.slices.filter((_, index) => index * hourS < audioS);
  const hours: ReportHour[] = slices.map((slice, index) => {
    const fromMs = startMs + index * 3_600_000;
    const [fromFrame, toFrame] = [index * hourS * log.sampleRate, (index + 1) * hourS * log.sampleRate];
    const observation = weather.filter((w) => w.ms <= fromMs).at(-1);
    return {
      startAt: new Date(fromMs).toISOString(),
      localTime: localTime(fromMs, log.day.place.timezone),
      audioFromS: index * hourS,
      audioToS: Math.min((index + 1) * hourS, audioS),
      rmsDb: slice.rms > 0 ? 20 * Math.log10(slice.rms) : null,
      centroidHz: slice.centroidHz,
      bandsDb: bandLevels(analysis, (index * hourS) / audioS, ((index + 1) * hourS) / audioS),
      precipitationMmPerHour: observation?.precipitationMmPerHour ?? null,
      cloudCover: observation?.cloudCover ?? null,
      stems: [...new Set(spans.filter((s) => s.startFrame < toFrame && s.endFrame > fromFrame).map((s) => s.stemId))],
    };
  });

  return {
    format: 1,
    day: log.day,
    speed: log.speed,
    seed: log.seed,
    sampleRate: log.sampleRate,
    audioFrames: log.audioFrames,
    picture,
    layers: Object.fromEntries(LAYERS.map((layer) => [layer, spans.filter((s) => s.layer === layer)])),
    events: log.events,
    hours,
  };
}
