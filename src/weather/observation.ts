/**
 * One normalised weather observation, whatever the provider. Metric units, named in
 * each field. Unknown stays unknown: a value the provider did not send is `null`, never 0.
 */
export interface WeatherObservation {
  /** The instant the values describe (epoch ms, UTC); for hourly data, the start of the hour. */
  validAt: number;
  temperatureC: number | null;
  pressureSeaLevelHpa: number | null;
  humidityPercent: number | null;
  windSpeedMs: number | null;
  windDirectionDeg: number | null;
  windGustMs: number | null;
  /** Cloud cover fractions 0..1. */
  cloudCover: { total: number | null; low: number | null; mid: number | null; high: number | null };
  precipitation: { rateMmPerHour: number | null; kind: PrecipitationKind | null };
  visibilityM: number | null;
  /** WMO weather interpretation code (integer), where the provider gives one. */
  wmoCode: number | null;
  /** Sunrise and sunset of the observation's local day, epoch ms, where given. */
  sunriseAt: number | null;
  sunsetAt: number | null;
}

export type PrecipitationKind = 'drizzle' | 'rain' | 'snow' | 'showers' | 'thunder' | 'hail' | 'freezing';

/**
 * What the weather stage keeps of any provider's reply: hourly rows in time order (row i
 * describes [validAt_i, validAt_{i+1}), the last one hour) and a current reading with the
 * span it describes, either of which may be missing.
 */
export interface ForecastReply {
  provider: string;
  hours: WeatherObservation[];
  current: { observation: WeatherObservation; intervalMs: number } | null;
}
