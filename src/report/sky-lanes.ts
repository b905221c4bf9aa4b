/** The sky lanes of the timeline: the sun's elevation with its phases, and the weather. */
import { phaseOf, sunElevationDeg, type SunPhase } from '../time/sun.js';
import type { TimeAxis } from './axis.js';
import { escapeXml, PHASE_COLOURS } from './colours.js';
import type { ReportLog } from './report-data.js';

export const SUN_LANE_HEIGHT = 110;
export const WEATHER_LANE_HEIGHT = 170;

/** The sun's elevation, sampled every 4 pixels, over its phases shaded in their colours. */
export function sunLane(axis: TimeAxis, top: number, place: { latitude: number; longitude: number }): string {
  const samples: Array<{ x: number; elevation: number; phase: SunPhase }> = [];
  for (let x = 0; x <= axis.width; x += 4) {
    const ms = axis.startMs + (x / axis.width) * (axis.endMs - axis.startMs);
    const elevation = sunElevationDeg(ms, place.latitude, place.longitude);
    const rising = sunElevationDeg(ms + 5 * 60_000, place.latitude, place.longitude) > elevation;
    samples.push({ x: axis.left + x, elevation, phase: phaseOf(elevation, rising) });
  }

  const high = Math.max(30, ...samples.map((s) => s.elevation));
  const low = Math.min(-20, ...samples.map((s) => s.elevation));
  const y = (deg: number) => top + ((high - deg) / (high - low)) * SUN_LANE_HEIGHT;

  const parts: string[] = [];
  let segmentStart = 0;
  for (let i = 1; i <= samples.length; i++) {
    if (i < samples.length && samples[i]!.phase === samples[segmentStart]!.phase) continue;
    const [first, last] = [samples[segmentStart]!, samples[Math.min(i, samples.length - 1)]!];
    const width = last.x - first.x;
    parts.push(`<rect x="${first.x}" y="${top}" width="${width}" height="${SUN_LANE_HEIGHT}" fill="${PHASE_COLOURS[first.phase]}" opacity="0.55"/>`);
    if (width > 44) parts.push(text(first.x + width / 2, top + 12, first.phase, 'middle', 11, first.phase === 'night' ? '#e8e8f0' : '#222'));
    segmentStart = i;
  }

  parts.push(`<line x1="${axis.left}" x2="${axis.left + axis.width}" y1="${y(0)}" y2="${y(0)}" stroke="#555" stroke-dasharray="4 3"/>`);
  parts.push(`<polyline fill="none" stroke="#d98c00" stroke-width="2.5" points="${samples.map((s) => `${s.x},${y(s.elevation).toFixed(1)}`).join(' ')}"/>`);
  parts.push(text(axis.left - 8, y(0) + 4, 'horizon', 'end', 10, '#555'));
  parts.push(text(axis.left - 8, top + 12, `${Math.round(high)}°`, 'end', 10, '#555'));
  parts.push(text(axis.left - 8, top + SUN_LANE_HEIGHT - 2, `${Math.round(low)}°`, 'end', 10, '#555'));
  return parts.join('\n');
}

interface HourWeather {
  ms: number;
  temperatureC: number | null;
  pressureHpa: number | null;
  cloudCover: number | null;
  precipitationMmPerHour: number | null;
}

/** The weather observations of the render log, in time order. */
export function weatherSeries(log: ReportLog): HourWeather[] {
  return log.events
    .filter((event) => event.name === 'weather.observed')
    .map((event) => {
      const observation = event.payload.observation as Record<string, any>;
      return {
        ms: Date.parse(event.at),
        temperatureC: observation.temperatureC ?? null,
        pressureHpa: observation.pressureSeaLevelHpa ?? null,
        cloudCover: observation.cloudCover?.total ?? null,
        precipitationMmPerHour: observation.precipitation?.rateMmPerHour ?? null,
      };
    })
    .sort((a, b) => a.ms - b.ms);
}

/**
 * Cloud cover as a grey area (0-100 % of the lane), precipitation as blue bars (scaled to the
 * day's largest rate, at least 1 mm/h), temperature (red) and pressure (purple) as lines on
 * their own ranges, written at the lane's edges. Each observation holds until the next.
 */
export function weatherLane(axis: TimeAxis, top: number, series: HourWeather[]): string {
  const bottom = top + WEATHER_LANE_HEIGHT;
  const until = (i: number) => axis.x(series[i + 1]?.ms ?? axis.endMs);
  const parts: string[] = [];

  const cover = series.flatMap((h, i) => (h.cloudCover === null ? [] : [[axis.x(h.ms), until(i), h.cloudCover] as const]));
  if (cover.length) {
    const points = cover.flatMap(([x0, x1, c]) => [`${x0},${bottom - c * WEATHER_LANE_HEIGHT}`, `${x1},${bottom - c * WEATHER_LANE_HEIGHT}`]);
    parts.push(`<polygon fill="#9aa3ad" opacity="0.35" points="${cover[0]![0]},${bottom} ${points.join(' ')} ${cover.at(-1)![1]},${bottom}"/>`);
  }

  const rainTop = Math.max(1, ...series.map((h) => h.precipitationMmPerHour ?? 0));
  series.forEach((h, i) => {
    if (!h.precipitationMmPerHour) return;
    const height = (h.precipitationMmPerHour / rainTop) * WEATHER_LANE_HEIGHT * 0.6;
    parts.push(`<rect x="${axis.x(h.ms) + 1}" y="${bottom - height}" width="${Math.max(1, until(i) - axis.x(h.ms) - 2)}" height="${height}" fill="#2f6fd6" opacity="0.8"/>`);
  });

  parts.push(valueLine(axis, top, series, (h) => h.temperatureC, '#d62728', '°C', 'start'));
  parts.push(valueLine(axis, top, series, (h) => h.pressureHpa, '#7b3fa0', ' hPa', 'end'));
  parts.push(text(axis.left + 4, bottom - 4, `cloud 0-100 % · precipitation to ${rainTop.toFixed(1)} mm/h`, 'start', 10, '#2f4f7f'));
  return parts.join('\n');
}

function valueLine(
  axis: TimeAxis, top: number, series: HourWeather[], value: (h: HourWeather) => number | null,
  colour: string, unit: string, side: 'start' | 'end',
): string {
  const known = series.filter((h) => value(h) !== null);
  if (known.length === 0) return '';
  const values = known.map((h) => value(h)!);
  const [min, max] = [Math.min(...values), Math.max(...values)];
  const span = Math.max(max - min, 1);
  const y = (v: number) => top + 16 + ((max - v) / span) * (WEATHER_LANE_HEIGHT - 36);
  const points = known.map((h) => `${axis.x(h.ms + 30 * 60_000).toFixed(1)},${y(value(h)!).toFixed(1)}`).join(' ');
  const labelX = side === 'start' ? axis.left - 8 : axis.left + axis.width + 8;
  const anchor = side === 'start' ? 'end' : 'start';
  return [
    `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points}"/>`,
    text(labelX, y(max) + 4, `${max.toFixed(1)}${unit}`, anchor, 10, colour),
    text(labelX, y(min) + 4, `${min.toFixed(1)}${unit}`, anchor, 10, colour),
  ].join('\n');
}

export function text(x: number, y: number, content: string, anchor: 'start' | 'middle' | 'end', size: number, fill = '#222'): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-size="${size}" text-anchor="${anchor}" fill="${fill}">${escapeXml(content)}</text>`;
}
