/**
 * Units Open-Meteo may answer in, converted to the metric units of {@link WeatherObservation},
 * and the plausible range of each quantity once converted. A reply without a units block is
 * in Open-Meteo's defaults (°C, km/h, mm, cm of snow, %, hPa, m, °, wmo code).
 */
import type { OpenMeteoQuantity } from './open-meteo-schema.js';

type Converter = (value: number) => number;

const same: Converter = (value) => value;

const TEMPERATURE: Record<string, Converter> = {
  '°C': same,
  '°F': (value) => ((value - 32) * 5) / 9,
};

/** Wind in m/s. Open-Meteo writes miles per hour as "mp/h". */
const SPEED: Record<string, Converter> = {
  'km/h': (value) => value / 3.6,
  'm/s': same,
  'mp/h': (value) => value * 0.44704,
  mph: (value) => value * 0.44704,
  kn: (value) => value * 0.514444,
};

/** Precipitation amounts per hour, in mm. */
const DEPTH_MM: Record<string, Converter> = {
  mm: same,
  inch: (value) => value * 25.4,
};

/** Snowfall is a depth of fresh snow, in cm (not its water equivalent). */
const SNOW_CM: Record<string, Converter> = {
  cm: same,
  inch: (value) => value * 2.54,
};

/** Cloud cover becomes a 0..1 fraction; humidity stays in percent. */
const PERCENT_TO_FRACTION: Record<string, Converter> = { '%': (value) => value / 100 };
const PERCENT: Record<string, Converter> = { '%': same };

const DISTANCE_M: Record<string, Converter> = {
  m: same,
  ft: (value) => value * 0.3048,
};

interface UnitTable {
  defaultUnit: string;
  table: Record<string, Converter>;
}

const UNITS: Record<OpenMeteoQuantity, UnitTable> = {
  temperature: { defaultUnit: '°C', table: TEMPERATURE },
  humidity: { defaultUnit: '%', table: PERCENT },
  weatherCode: { defaultUnit: 'wmo code', table: { 'wmo code': same } },
  cloudTotal: { defaultUnit: '%', table: PERCENT_TO_FRACTION },
  cloudLow: { defaultUnit: '%', table: PERCENT_TO_FRACTION },
  cloudMid: { defaultUnit: '%', table: PERCENT_TO_FRACTION },
  cloudHigh: { defaultUnit: '%', table: PERCENT_TO_FRACTION },
  windSpeed: { defaultUnit: 'km/h', table: SPEED },
  windDirection: { defaultUnit: '°', table: { '°': same } },
  windGust: { defaultUnit: 'km/h', table: SPEED },
  pressure: { defaultUnit: 'hPa', table: { hPa: same } },
  precipitation: { defaultUnit: 'mm', table: DEPTH_MM },
  rain: { defaultUnit: 'mm', table: DEPTH_MM },
  showers: { defaultUnit: 'mm', table: DEPTH_MM },
  snowfall: { defaultUnit: 'cm', table: SNOW_CM },
  visibility: { defaultUnit: 'm', table: DISTANCE_M },
};

/**
 * `value` in `unit` (Open-Meteo's default when undefined) converted to the observation's unit;
 * undefined when the unit is not one Open-Meteo is known to send for this quantity.
 */
export function convertToCanonical(
  quantity: OpenMeteoQuantity,
  value: number,
  unit: string | undefined,
): number | undefined {
  const { defaultUnit, table } = UNITS[quantity];
  const convert = table[unit ?? defaultUnit];
  return convert ? convert(value) : undefined;
}

/**
 * Plausible ranges after conversion, with the unit they are in; wider than any record,
 * narrow enough to catch a wrong unit.
 */
const RANGES: Record<OpenMeteoQuantity, [min: number, max: number, unit: string]> = {
  temperature: [-95, 65, '°C'],
  humidity: [0, 100, '%'],
  weatherCode: [0, 99, '(WMO code)'],
  cloudTotal: [0, 1, '(fraction)'],
  cloudLow: [0, 1, '(fraction)'],
  cloudMid: [0, 1, '(fraction)'],
  cloudHigh: [0, 1, '(fraction)'],
  windSpeed: [0, 120, 'm/s'],
  windDirection: [0, 360, '°'],
  windGust: [0, 150, 'm/s'],
  pressure: [850, 1090, 'hPa'],
  precipitation: [0, 500, 'mm/h'],
  rain: [0, 500, 'mm/h'],
  showers: [0, 500, 'mm/h'],
  snowfall: [0, 500, 'cm/h'],
  visibility: [0, 1_000_000, 'm'],
};

/** Integer codes may arrive as 3.0 (or 3.0000000001 after a float round trip). */
const CODE_TOLERANCE = 1e-6;

/** Why a converted value is not plausible, or null when it is. Codes must be integers. */
export function checkPlausible(quantity: OpenMeteoQuantity, value: number): string | null {
  const [min, max, unit] = RANGES[quantity];
  if (!Number.isFinite(value) || value < min || value > max) {
    return `${Number(value.toPrecision(6))} ${unit} is outside the plausible range ${min}..${max}`;
  }
  if (quantity === 'weatherCode' && Math.abs(value - Math.round(value)) > CODE_TOLERANCE) {
    return 'not an integer weather code';
  }
  return null;
}

/** Codes compare as integers: 3.0 and 3 are the same code. */
export function asIntegerCode(value: number): number {
  return Math.round(value);
}
