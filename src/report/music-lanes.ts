/** The lanes of what happened and what sang: sky events, stems per layer, and the spectrogram. */
import type { TimeAxis } from './axis.js';
import { LAYERS, skyMsOfFrame, type ReportLog, type StemSpan } from './report-data.js';
import { text } from './sky-lanes.js';

const ROW_HEIGHT = 20;
/** A rough width of one character of the 11 px labels, to keep labels from overlapping. */
const CHAR_PX = 6.2;

/** The event rows: which events each shows, and how it labels one. */
const EVENT_ROWS: Array<{ title: string; colour: string; label: (name: string, p: Record<string, any>) => string | null }> = [
  { title: 'birds, flocks', colour: '#1a7f37', label: (n, p) => (n === 'bird.seen' ? `bird ×${p.count}` : n === 'flock.started' ? `flock ${p.size}` : null) },
  { title: 'aircraft', colour: '#444', label: (n) => (n === 'aircraft.seen' ? 'aircraft' : null) },
  { title: 'camera', colour: '#b35900', label: (n, p) => (n === 'camera.status.changed' ? String(p.status) : null) },
  { title: 'precipitation', colour: '#2f6fd6', label: (n, p) => (n === 'precipitation.started' ? `${p.kind} starts` : n === 'precipitation.stopped' ? 'stops' : null) },
  { title: 'pressure', colour: '#7b3fa0', label: (n, p) => (n === 'pressure.trend.changed' ? String(p.tendency) : null) },
  { title: 'wind, fog', colour: '#666', label: (n) => ({ 'wind.gusts.started': 'gusts', 'wind.gusts.stopped': 'gusts end', 'fog.formed': 'fog', 'fog.cleared': 'fog clears' })[n] ?? null },
];

export const EVENTS_LANE_HEIGHT = EVENT_ROWS.length * ROW_HEIGHT;

/**
 * One row per kind of event, a mark at each. Marks closer together than a label's width share
 * one label, the first event's with "+n" for the others.
 */
export function eventsLane(axis: TimeAxis, top: number, log: ReportLog): string {
  const parts: string[] = [];
  EVENT_ROWS.forEach((row, index) => {
    const y = top + index * ROW_HEIGHT + ROW_HEIGHT / 2;
    parts.push(text(axis.left - 8, y + 4, row.title, 'end', 11, row.colour));
    const marks = log.events.flatMap((event) => {
      const label = row.label(event.name, event.payload);
      return label === null ? [] : [{ x: axis.x(Date.parse(event.at)), label }];
    });

    for (let first = 0; first < marks.length; ) {
      const { label } = marks[first]!;
      let last = first;
      while (marks[last + 1] && marks[last + 1]!.x < marks[last]!.x + (label.length + 3) * CHAR_PX + 15) last++;
      for (let i = first; i <= last; i++) parts.push(`<path d="M${marks[i]!.x.toFixed(1)},${y - 6} l5,6 l-5,6 l-5,-6 z" fill="${row.colour}"/>`);
      const more = last > first ? ` +${last - first}` : '';
      parts.push(text(marks[last]!.x + 7, y + 4, `${label}${more}`, 'start', 11, row.colour));
      first = last + 1;
    }
  });
  return parts.join('\n');
}

interface PlacedSpan {
  span: StemSpan;
  x0: number;
  x1: number;
  labelInside: boolean;
  row: number;
}

/** Places each layer's spans in as few rows as they need without overlapping bars or labels. */
export function placeSpans(axis: TimeAxis, log: ReportLog, spans: StemSpan[]): Map<string, PlacedSpan[]> {
  const layers = new Map<string, PlacedSpan[]>();
  for (const layer of LAYERS) {
    const rowsFreeFrom: number[] = [];
    const placed = spans.filter((s) => s.layer === layer).map((span) => {
      const x0 = axis.x(skyMsOfFrame(log, span.startFrame));
      const x1 = Math.max(x0 + 3, axis.x(skyMsOfFrame(log, span.endFrame)));
      const labelWidth = span.stemId.length * CHAR_PX + 8;
      const labelInside = x1 - x0 >= labelWidth;
      const extent = labelInside ? x1 : Math.max(x1, x0 + labelWidth + 4);
      let row = rowsFreeFrom.findIndex((free) => free <= x0);
      if (row < 0) row = rowsFreeFrom.push(0) - 1;
      rowsFreeFrom[row] = extent + 2;
      return { span, x0, x1, labelInside, row };
    });
    layers.set(layer, placed);
  }
  return layers;
}

export function stemsLaneHeight(placed: Map<string, PlacedSpan[]>): number {
  return [...placed.values()].reduce((sum, spans) => sum + layerRows(spans) * ROW_HEIGHT + 6, 0);
}

/** Bars per layer (coarse, middle, fine), each in its stem's colour with its id. */
export function stemsLane(axis: TimeAxis, top: number, placed: Map<string, PlacedSpan[]>, colours: Map<string, string>): string {
  const parts: string[] = [];
  let y = top;
  for (const [layer, spans] of placed) {
    const height = layerRows(spans) * ROW_HEIGHT;
    parts.push(`<rect x="${axis.left}" y="${y}" width="${axis.width}" height="${height}" fill="#f4f4f6"/>`);
    parts.push(text(axis.left - 8, y + height / 2 + 4, layer, 'end', 12, '#222'));
    for (const { span, x0, x1, labelInside, row } of spans) {
      const barY = y + row * ROW_HEIGHT + 2;
      const colour = colours.get(span.stemId) ?? '#888';
      parts.push(`<rect x="${x0.toFixed(1)}" y="${barY}" width="${(x1 - x0).toFixed(1)}" height="${ROW_HEIGHT - 4}" rx="3" fill="${colour}"/>`);
      parts.push(labelInside
        ? text(x0 + 4, barY + 12, span.stemId, 'start', 11, '#fff')
        : text(x1 + 3, barY + 12, span.stemId, 'start', 11, colour));
    }
    y += height + 6;
  }
  return parts.join('\n');
}

function layerRows(spans: PlacedSpan[]): number {
  return Math.max(1, ...spans.map((s) => s.row + 1));
}

export const SPECTROGRAM_LANE_HEIGHT = 200;

/**
 * The spectrogram PNG stretched over the audio's span of sky time (the audio's time times the
 * speed), with frequency marks on a log axis from `lowHz` to `highHz`.
 */
export function spectrogramLane(axis: TimeAxis, top: number, log: ReportLog, png: Buffer, lowHz: number, highHz: number): string {
  const x1 = axis.x(skyMsOfFrame(log, log.audioFrames));
  const parts = [
    `<image x="${axis.left}" y="${top}" width="${(x1 - axis.left).toFixed(1)}" height="${SPECTROGRAM_LANE_HEIGHT}" preserveAspectRatio="none" href="data:image/png;base64,${png.toString('base64')}"/>`,
  ];
  for (const hz of [100, 300, 1000, 3000, 10_000]) {
    const y = top + SPECTROGRAM_LANE_HEIGHT * (1 - Math.log(hz / lowHz) / Math.log(highHz / lowHz));
    parts.push(`<line x1="${axis.left - 4}" x2="${axis.left}" y1="${y}" y2="${y}" stroke="#222"/>`);
    parts.push(text(axis.left - 8, y + 4, hz >= 1000 ? `${hz / 1000} kHz` : `${hz} Hz`, 'end', 10));
  }
  return parts.join('\n');
}
