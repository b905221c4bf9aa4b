/** Colours of the report: sun phases, stems, and the spectrogram's dB map. */
import type { SunPhase } from '../time/sun.js';

export const PHASE_COLOURS: Record<SunPhase, string> = {
  night: '#1b2440',
  dawn: '#4b4f8a',
  sunrise: '#e59a5b',
  day: '#cfe6f7',
  golden: '#f2c14e',
  sunset: '#e0734f',
  dusk: '#6b5393',
};

/** Distinct and readable on white, with white text on them; more stems than this cycle. */
const STEM_PALETTE = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f',
  '#a6a614', '#17a2b8', '#393b79', '#ad494a', '#637939', '#8c6d31', '#7b4173', '#3182bd',
  '#e6550d', '#31a354', '#756bb1', '#636363',
];

/** A colour per stem id, in the order given (the stems that played, by first start). */
export function stemColours(ids: readonly string[]): Map<string, string> {
  return new Map(ids.map((id, index) => [id, STEM_PALETTE[index % STEM_PALETTE.length]!]));
}

/** Magma-like stops from quiet (0) to loud (1). */
const DB_STOPS: Array<[number, number, number]> = [
  [0, 0, 4], [40, 11, 84], [114, 31, 129], [183, 55, 121], [241, 96, 93], [254, 175, 119], [252, 253, 191],
];

/** RGB of a level 0..1 (clamped) on the dB map. */
export function dbColour(level: number): [number, number, number] {
  const position = Math.min(1, Math.max(0, level)) * (DB_STOPS.length - 1);
  const index = Math.min(DB_STOPS.length - 2, Math.floor(position));
  const t = position - index;
  const [a, b] = [DB_STOPS[index]!, DB_STOPS[index + 1]!];
  return [0, 1, 2].map((c) => Math.round(a[c]! + (b[c]! - a[c]!) * t)) as [number, number, number];
}

/** Text made safe inside SVG elements and attributes. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}
