/** The report's picture as SVG: title, the lanes on one local-time axis, and a legend. */
import { localDate, localHourTicks, timeAxis } from './axis.js';
import { PHASE_COLOURS } from './colours.js';
import { EVENTS_LANE_HEIGHT, eventsLane, placeSpans, SPECTROGRAM_LANE_HEIGHT, spectrogramLane, stemsLane, stemsLaneHeight } from './music-lanes.js';
import type { ReportLog, StemSpan } from './report-data.js';
import { SUN_LANE_HEIGHT, sunLane, text, WEATHER_LANE_HEIGHT, weatherLane, weatherSeries } from './sky-lanes.js';

const LEFT = 130;
const RIGHT = 90;
const TITLE_HEIGHT = 64;
const GAP = 28;
const AXIS_HEIGHT = 30;
const LEGEND_ROW = 20;

export interface TimelineInput {
  log: ReportLog;
  spans: StemSpan[];
  /** The colour of each stem that played; the legend lists them in this order. */
  stemColours: Map<string, string>;
  spectrogramPng: Buffer;
  lowHz: number;
  highHz: number;
  /** Width of the picture, pixels; the height follows from the lanes. */
  width: number;
}

export interface TimelineSvg {
  svg: string;
  width: number;
  height: number;
}

/** Draws the whole picture; lanes stack top to bottom with their titles above them. */
export function timelineSvg(input: TimelineInput): TimelineSvg {
  const { log, width } = input;
  const startMs = Date.parse(log.day.startAt);
  const axis = timeAxis(LEFT, width - LEFT - RIGHT, startMs, Date.parse(log.day.endAt), log.day.place.timezone);
  const placed = placeSpans(axis, log, input.spans);

  const lanes: Array<{ title: string; height: number; draw: (top: number) => string }> = [
    { title: 'sun elevation and phases', height: SUN_LANE_HEIGHT, draw: (top) => sunLane(axis, top, log.day.place) },
    { title: 'weather: temperature (red), pressure (purple), cloud cover (grey), precipitation (blue)', height: WEATHER_LANE_HEIGHT, draw: (top) => weatherLane(axis, top, weatherSeries(log)) },
    { title: 'sky events', height: EVENTS_LANE_HEIGHT, draw: (top) => eventsLane(axis, top, log) },
    { title: 'stems that played, per layer (bar: start to start of fade-out)', height: stemsLaneHeight(placed), draw: (top) => stemsLane(axis, top, placed, input.stemColours) },
    { title: `spectrogram of the rendered audio (${input.lowHz} Hz-${input.highHz / 1000} kHz, log frequency, dB)`, height: SPECTROGRAM_LANE_HEIGHT, draw: (top) => spectrogramLane(axis, top, log, input.spectrogramPng, input.lowHz, input.highHz) },
  ];

  const body: string[] = [];
  let top = TITLE_HEIGHT;
  for (const lane of lanes) {
    body.push(text(LEFT, top + 14, lane.title, 'start', 13, '#333'));
    body.push(lane.draw(top + GAP - 8));
    top += lane.height + GAP + 4;
  }
  const plotBottom = top - 4;

  const ticks = localHourTicks(axis);
  const grid = ticks.map(({ ms }) => `<line x1="${axis.x(ms)}" x2="${axis.x(ms)}" y1="${TITLE_HEIGHT + 18}" y2="${plotBottom}" stroke="#ddd"/>`);
  const tickLabels = ticks.map(({ ms, label }) => text(axis.x(ms), plotBottom + 16, label, 'middle', 11));

  const legend = legendRows(input.stemColours, width);
  const height = plotBottom + AXIS_HEIGHT + legend.rows * LEGEND_ROW + 16;
  const legendSvg = legend.draw(plotBottom + AXIS_HEIGHT + 6);

  const title = `skychoir render report: ${log.day.place.name ?? 'a day'}, ${localDate(startMs, axis.timezone)} ` +
    `(${axis.timezone} local time) · speed ${log.speed}× · seed ${log.seed} · ${formatAudioLength(log.audioFrames / log.sampleRate)} of audio`;

  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Arial, sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    text(LEFT, 34, title, 'start', 20, '#111'),
    text(LEFT, 54, 'Why the music did what it did: the sky above, the choir below, on one time axis.', 'start', 12, '#555'),
    ...grid, ...body, ...tickLabels, legendSvg,
    '</svg>',
  ].join('\n');
  return { svg, width, height };
}

/** Swatches of the stems that played with their ids, then the sun phases, wrapped to the picture's width. */
function legendRows(colours: Map<string, string>, width: number) {
  const items = [
    ...[...colours].map(([id, colour]) => ({ label: id, colour })),
    ...Object.entries(PHASE_COLOURS).map(([phase, colour]) => ({ label: `sun: ${phase}`, colour })),
  ];
  const placed: Array<{ x: number; row: number; label: string; colour: string }> = [];
  let [x, row] = [LEFT, 0];
  for (const item of items) {
    const itemWidth = 24 + item.label.length * 6.5 + 18;
    if (x + itemWidth > width - RIGHT) [x, row] = [LEFT, row + 1];
    placed.push({ x, row, ...item });
    x += itemWidth;
  }
  return {
    rows: row + 1,
    draw: (top: number) => [
      text(LEFT - 8, top + 12, 'legend', 'end', 11, '#555'),
      ...placed.map((p) => `<rect x="${p.x}" y="${top + p.row * LEGEND_ROW + 2}" width="18" height="12" rx="2" fill="${p.colour}"/>` +
        text(p.x + 24, top + p.row * LEGEND_ROW + 12, p.label, 'start', 11)),
    ].join('\n'),
  };
}

function formatAudioLength(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes} min ${Math.round(seconds % 60)} s` : `${seconds.toFixed(1)} s`;
}
