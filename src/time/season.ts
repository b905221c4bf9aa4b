/**
 * The season at an instant and a latitude, for the composer's coarse layer.
 *
 * Two reckonings:
 *
 * - astronomical (the default): seasons change at the equinoxes and solstices, instants read
 *   from the sun's apparent ecliptic longitude (0° March equinox, 90° June solstice, 180°
 *   September equinox, 270° December solstice). An instant needs no time zone, so the answer
 *   is the same wherever the clock is read. The longitude comes from the low-precision solar
 *   series of Meeus, "Astronomical Algorithms", chapter 25 (about 0.01°), which puts each
 *   change within about 15 minutes of the published instant (10 minutes or less in 2024-25).
 * - meteorological: whole calendar months, March-May spring in the north, and so on, as
 *   climate statistics count them. The month is the UTC month: a place far from Greenwich
 *   changes season up to 14 hours before or after its own midnight.
 *
 * Hemisphere: latitude 0 and above is northern, below 0 southern, where the names are
 * shifted by half a year (spring begins at the September equinox or on 1 September).
 *
 * Tropics: between the tropic lines there is no four-season year (the climate follows wet
 * and dry seasons, which depend on the place, not the sun alone). This module still names the
 * hemisphere's temperate season there, so that a tropical place has a season at all; a caller
 * that would rather not use one checks {@link isTropical}.
 */

/** The four seasons of the temperate year. */
export type Season = 'spring' | 'summer' | 'autumn' | 'winter';

/** By equinoxes and solstices, or by whole calendar months (UTC). */
export type SeasonReckoning = 'astronomical' | 'meteorological';

/** Latitude of the tropics (the sun's greatest declination), degrees. */
export const TROPIC_LATITUDE_DEG = 23.44;

/** Northern seasons in order from the March equinox (or from March), a quarter each. */
const NORTHERN: readonly Season[] = ['spring', 'summer', 'autumn', 'winter'];
/** Southern seasons over the same quarters. */
const SOUTHERN: readonly Season[] = ['autumn', 'winter', 'spring', 'summer'];

const DAY_MS = 86_400_000;
/** J2000.0 (2000-01-01T12:00 TT) as a UTC instant: TT-UT, about a minute, moves the sun 0.001°. */
const J2000_MS = Date.UTC(2000, 0, 1, 12);
const RAD = Math.PI / 180;

/**
 * The season at `atMs` (epoch ms) at `latitude` (degrees north, -90..90). Throws a RangeError
 * for a latitude outside that range; never returns anything but one of the four seasons.
 */
export function seasonAt(
  atMs: number,
  latitude: number,
  reckoning: SeasonReckoning = 'astronomical',
): Season {
  if (!(Math.abs(latitude) <= 90)) {
    throw new RangeError(`latitude must be within -90..90 degrees, got ${latitude}`);
  }
  if (!Number.isFinite(atMs)) throw new RangeError(`atMs must be an instant, got ${atMs}`);

  const quarter =
    reckoning === 'astronomical'
      ? Math.floor(solarLongitudeDeg(atMs) / 90)
      : Math.floor(((new Date(atMs).getUTCMonth() + 10) % 12) / 3);
  const seasons = latitude >= 0 ? NORTHERN : SOUTHERN;
  return seasons[quarter]!;
}

/** Whether `latitude` lies between the tropics, where four seasons do not describe the year. */
export function isTropical(latitude: number): boolean {
  return Math.abs(latitude) < TROPIC_LATITUDE_DEG;
}

/**
 * The sun's apparent ecliptic longitude at `atMs`, degrees in [0, 360): 0 at the March
 * equinox, 90 at the June solstice. Meeus chapter 25, low precision (about 0.01°).
 */
export function solarLongitudeDeg(atMs: number): number {
  // Julian centuries since J2000.0.
  const t = (atMs - J2000_MS) / DAY_MS / 36_525;

  const meanLongitude = 280.46646 + t * (36_000.76983 + t * 0.0003032);
  const meanAnomaly = (357.52911 + t * (35_999.05029 - t * 0.0001537)) * RAD;
  const centre =
    (1.914602 - t * (0.004817 + t * 0.000014)) * Math.sin(meanAnomaly) +
    (0.019993 - t * 0.000101) * Math.sin(2 * meanAnomaly) +
    0.000289 * Math.sin(3 * meanAnomaly);
  const node = (125.04 - 1934.136 * t) * RAD;
  const apparent = meanLongitude + centre - 0.00569 - 0.00478 * Math.sin(node);

  return ((apparent % 360) + 360) % 360;
}
