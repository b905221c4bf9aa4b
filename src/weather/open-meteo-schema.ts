/**
 * The shape of an Open-Meteo reply (forecast or archive API), as far as skychoir reads it.
 * Open-Meteo renamed its variables in 2023 (weathercode -> weather_code, cloudcover ->
 * cloud_cover, windspeed_10m -> wind_speed_10m, ...); both spellings are accepted, the new
 * one winning when a reply carries both. Unknown fields are ignored.
 */
import { z } from 'zod';

/** The quantities skychoir reads, each with the names Open-Meteo has used for it (new first). */
export const OPEN_METEO_VARIABLES = {
  temperature: ['temperature_2m'],
  humidity: ['relative_humidity_2m', 'relativehumidity_2m'],
  weatherCode: ['weather_code', 'weathercode'],
  cloudTotal: ['cloud_cover', 'cloudcover'],
  cloudLow: ['cloud_cover_low', 'cloudcover_low'],
  cloudMid: ['cloud_cover_mid', 'cloudcover_mid'],
  cloudHigh: ['cloud_cover_high', 'cloudcover_high'],
  windSpeed: ['wind_speed_10m', 'windspeed_10m'],
  windDirection: ['wind_direction_10m', 'winddirection_10m'],
  windGust: ['wind_gusts_10m', 'windgusts_10m'],
  pressure: ['pressure_msl'],
  precipitation: ['precipitation'],
  rain: ['rain'],
  showers: ['showers'],
  snowfall: ['snowfall'],
  visibility: ['visibility'],
} as const satisfies Record<string, readonly string[]>;

export type OpenMeteoQuantity = keyof typeof OPEN_METEO_VARIABLES;

const ALL_VARIABLE_NAMES: readonly string[] = Object.values(OPEN_METEO_VARIABLES).flat();

/** A time: local wall time "2023-07-29T08:00" (default) or unix seconds (timeformat=unixtime). */
const timeValue = z.union([z.string(), z.number()]);

/** An hourly series: null entries mean "unknown", never 0. */
const numberSeries = z.array(z.number().nullable());

const hourlyShape: Record<string, z.ZodType> = { time: z.array(timeValue) };
for (const name of ALL_VARIABLE_NAMES) hourlyShape[name] = numberSeries.optional();

const currentShape: Record<string, z.ZodType> = {
  time: timeValue,
  interval: z.number().positive().optional(),
};
for (const name of ALL_VARIABLE_NAMES) currentShape[name] = z.number().nullable().optional();

/** The legacy `current_weather=true` block, read as the same quantities (km/h unless units say). */
const legacyCurrentWeather = z.object({
  time: timeValue,
  interval: z.number().positive().optional(),
  temperature: z.number().nullable().optional(),
  windspeed: z.number().nullable().optional(),
  winddirection: z.number().nullable().optional(),
  weathercode: z.number().nullable().optional(),
});

const units = z.record(z.string(), z.string());

const daily = z.object({
  time: z.array(timeValue),
  sunrise: z.array(timeValue.nullable()).optional(),
  sunset: z.array(timeValue.nullable()).optional(),
});

export const openMeteoReplySchema = z.object({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  utc_offset_seconds: z.number().int().min(-86_400).max(86_400),
  timezone: z.string().optional(),
  hourly_units: units.optional(),
  hourly: z.object(hourlyShape).optional(),
  current_units: units.optional(),
  current: z.object(currentShape).optional(),
  current_weather_units: units.optional(),
  current_weather: legacyCurrentWeather.optional(),
  daily_units: units.optional(),
  daily: daily.optional(),
});

export type RawOpenMeteoReply = z.infer<typeof openMeteoReplySchema>;

/** The `{"error": true, "reason": "..."}` body Open-Meteo sends with a 4xx status. */
export const openMeteoErrorSchema = z.object({ error: z.literal(true), reason: z.string() });
