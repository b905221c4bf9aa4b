/**
 * The shape of OpenWeatherMap replies, and the meaning of their condition ids, as far as
 * skychoir reads them: the current weather (`/data/2.5/weather`), One Call 3.0
 * (`/data/3.0/onecall`: its `current`, `hourly` and the sunrise and sunset of `daily`), and the
 * error body both send. Written from the replies in `../shared/weather/openweathermap/` and
 * the provider's documentation; unknown fields are ignored.
 *
 * Units are the request's: with `units=metric` temperatures are °C, without it Kelvin. Wind is
 * m/s, pressure hPa, humidity and cloud %, visibility m, rain and snow mm, times unix seconds
 * (UTC) either way. A measurement sent as null is read as unknown; OpenWeatherMap leaves a
 * field out rather than sending null, and a missing field is unknown too.
 */
import { z } from 'zod';
import type { PrecipitationKind } from './observation.js';

const latitude = z.number().min(-90).max(90);
const longitude = z.number().min(-180).max(180);

/** A measurement: absent or null means unknown, never 0. */
const measurement = z.number().nullable().optional();

/**
 * `cod`: the number 200 in a current-weather success, a string ("200") in the 2.5 forecast,
 * a number or a string ("404", "400") in error bodies; One Call successes have none.
 */
export const codSchema = z.union([z.number(), z.string()]);

/** One `weather[]` entry: the condition id is what is read; the texts are localised. */
const conditionEntry = z.object({
  id: z.number().int(),
  main: z.string().optional(),
  description: z.string().optional(),
  icon: z.string().optional(),
});

/**
 * `rain` or `snow`: mm in the last hour (`1h`) or the last three hours (`3h`, older replies
 * and the forecast). `{}` happens, and means nothing was measured.
 */
const amount = z.object({ '1h': z.number().optional(), '3h': z.number().optional() });

export type RawAmount = z.infer<typeof amount>;

/** The error body, e.g. `{"cod":401, "message": "Invalid API key. ..."}`. */
export const openWeatherMapErrorSchema = z.object({
  cod: codSchema,
  message: z.string().optional(),
});

/** `/data/2.5/weather`: one observation of one place. */
export const currentWeatherSchema = z.object({
  coord: z.object({ lon: longitude, lat: latitude }).optional(),
  weather: z.array(conditionEntry).optional(),
  main: z.object({
    temp: measurement,
    pressure: measurement,
    /** Sea-level pressure, where sent beside `pressure` (which is then also sea level). */
    sea_level: measurement,
    humidity: measurement,
  }),
  visibility: measurement,
  wind: z.object({ speed: measurement, deg: measurement, gust: measurement }).optional(),
  clouds: z.object({ all: measurement }).optional(),
  rain: amount.optional(),
  snow: amount.optional(),
  dt: z.number(),
  sys: z.object({ sunrise: measurement, sunset: measurement }).optional(),
  /** Offset of local time from UTC, seconds. */
  timezone: z.number().optional(),
  name: z.string().optional(),
  cod: codSchema.optional(),
});

export type RawCurrentWeather = z.infer<typeof currentWeatherSchema>;

/** One point in time of One Call: `current`, or one entry of `hourly`. */
const oneCallPoint = z.object({
  dt: z.number(),
  /** Only in `current`; 0 or absent where the sun does not rise or set that day. */
  sunrise: measurement,
  sunset: measurement,
  temp: measurement,
  pressure: measurement,
  humidity: measurement,
  clouds: measurement,
  visibility: measurement,
  wind_speed: measurement,
  wind_deg: measurement,
  wind_gust: measurement,
  weather: z.array(conditionEntry).optional(),
  rain: amount.optional(),
  snow: amount.optional(),
});

export type RawOneCallPoint = z.infer<typeof oneCallPoint>;

/** One entry of `daily`: only its day and its sun times are read. */
const oneCallDay = z.object({ dt: z.number(), sunrise: measurement, sunset: measurement });

/** `/data/3.0/onecall`. Any block may be left out with `exclude=`. */
export const oneCallSchema = z.object({
  lat: latitude,
  lon: longitude,
  timezone: z.string().optional(),
  /** Offset of local time from UTC, seconds. */
  timezone_offset: z.number().optional(),
  current: oneCallPoint.optional(),
  hourly: z.array(oneCallPoint).optional(),
  daily: z.array(oneCallDay).optional(),
});

export type RawOneCall = z.infer<typeof oneCallSchema>;

/**
 * What an OpenWeatherMap condition id means for skychoir: the precipitation kind it reports
 * falling (null for none) and the nearest WMO 4677 present-weather code (as in wmo.ts).
 *
 * Caveats of the mapping. Intensity words are matched to WMO's slight/moderate/heavy, "very
 * heavy" and "extreme" rain both to heavy (65). OpenWeatherMap reports no hail, so 96 and 99
 * never occur; every thunderstorm, with or without rain, is 95. The shower forms of drizzle
 * (313, 314, 321) stay drizzle. Sleet and rain-and-snow (611-616) are 'snow' here but
 * WMO 68/69 (rain and snow), which wmo.ts reads as rain. Atmosphere ids (7xx) map to WMO's
 * haze, dust, mist, fog, squall and funnel-cloud codes and never to precipitation. Cloud ids
 * use Open-Meteo's reading of 0-3: 800 clear 0, 801 few clouds 1, 802 and 803 (scattered,
 * broken: 25-84 %) 2, 804 overcast 3. Every id that reports precipitation has a code that
 * wmo.ts also reads as precipitating, and no other does, so the weather stage's "is anything
 * falling" agrees whichever of the two it reads.
 */
export interface OpenWeatherMapCondition {
  /** The provider's English description of the id. */
  text: string;
  kind: PrecipitationKind | null;
  wmoCode: number | null;
}

const condition = (
  text: string,
  kind: PrecipitationKind | null,
  wmoCode: number | null,
): OpenWeatherMapCondition => ({ text, kind, wmoCode });

/** Every id OpenWeatherMap documents (openweathermap.org/weather-conditions). */
export const OPENWEATHERMAP_CONDITIONS: Readonly<Record<number, OpenWeatherMapCondition>> = {
  200: condition('thunderstorm with light rain', 'thunder', 95),
  201: condition('thunderstorm with rain', 'thunder', 95),
  202: condition('thunderstorm with heavy rain', 'thunder', 95),
  210: condition('light thunderstorm', 'thunder', 95),
  211: condition('thunderstorm', 'thunder', 95),
  212: condition('heavy thunderstorm', 'thunder', 95),
  221: condition('ragged thunderstorm', 'thunder', 95),
  230: condition('thunderstorm with light drizzle', 'thunder', 95),
  231: condition('thunderstorm with drizzle', 'thunder', 95),
  232: condition('thunderstorm with heavy drizzle', 'thunder', 95),
  300: condition('light intensity drizzle', 'drizzle', 51),
  301: condition('drizzle', 'drizzle', 53),
  302: condition('heavy intensity drizzle', 'drizzle', 55),
  310: condition('light intensity drizzle rain', 'drizzle', 51),
  311: condition('drizzle rain', 'drizzle', 53),
  312: condition('heavy intensity drizzle rain', 'drizzle', 55),
  313: condition('shower rain and drizzle', 'drizzle', 53),
  314: condition('heavy shower rain and drizzle', 'drizzle', 55),
  321: condition('shower drizzle', 'drizzle', 53),
  500: condition('light rain', 'rain', 61),
  501: condition('moderate rain', 'rain', 63),
  502: condition('heavy intensity rain', 'rain', 65),
  503: condition('very heavy rain', 'rain', 65),
  504: condition('extreme rain', 'rain', 65),
  511: condition('freezing rain', 'freezing', 66),
  520: condition('light intensity shower rain', 'showers', 80),
  521: condition('shower rain', 'showers', 81),
  522: condition('heavy intensity shower rain', 'showers', 82),
  531: condition('ragged shower rain', 'showers', 81),
  600: condition('light snow', 'snow', 71),
  601: condition('snow', 'snow', 73),
  602: condition('heavy snow', 'snow', 75),
  611: condition('sleet', 'snow', 68),
  612: condition('light shower sleet', 'snow', 68),
  613: condition('shower sleet', 'snow', 69),
  615: condition('light rain and snow', 'snow', 68),
  616: condition('rain and snow', 'snow', 69),
  620: condition('light shower snow', 'snow', 85),
  621: condition('shower snow', 'snow', 85),
  622: condition('heavy shower snow', 'snow', 86),
  701: condition('mist', null, 10),
  711: condition('smoke', null, 4),
  721: condition('haze', null, 5),
  731: condition('sand/dust whirls', null, 8),
  741: condition('fog', null, 45),
  751: condition('sand', null, 7),
  761: condition('dust', null, 6),
  762: condition('volcanic ash', null, 4),
  771: condition('squalls', null, 18),
  781: condition('tornado', null, 19),
  800: condition('clear sky', null, 0),
  801: condition('few clouds: 11-25%', null, 1),
  802: condition('scattered clouds: 25-50%', null, 2),
  803: condition('broken clouds: 51-84%', null, 2),
  804: condition('overcast clouds: 85-100%', null, 3),
};

/** Kinds by hundreds, for ids OpenWeatherMap may add: 2xx thunder ... 7xx and 8xx none. */
const KIND_BY_GROUP: Readonly<Record<number, PrecipitationKind | null>> = {
  2: 'thunder',
  3: 'drizzle',
  5: 'rain',
  6: 'snow',
  7: null,
  8: null,
};

/**
 * The meaning of a condition id: from the table, else from its group of a hundred with no
 * WMO code; null for an id in no group (such as 0).
 */
export function openWeatherMapCondition(id: number): OpenWeatherMapCondition | null {
  const known = OPENWEATHERMAP_CONDITIONS[id];
  if (known) return known;

  const group = Math.floor(id / 100);
  if (!Number.isInteger(id) || !(group in KIND_BY_GROUP)) return null;
  return condition(`unknown condition ${id}`, KIND_BY_GROUP[group] ?? null, null);
}
