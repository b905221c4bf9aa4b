/**
 * The soak's arithmetic: a least-squares line through samples, and the verdict on a
 * quantity's growth against a bound taken from the same run's own noise.
 */

export interface Line {
  /** Units of y per unit of x. */
  slope: number;
  intercept: number;
  /** Standard deviation of the samples around the line. */
  residualSd: number;
}

/** The least-squares line through (xs, ys); needs two distinct x values. */
export function fitLine(xs: readonly number[], ys: readonly number[]): Line {
  const count = xs.length;
  if (count < 2 || count !== ys.length) throw new RangeError(`a line needs two or more paired samples, got ${xs.length} and ${ys.length}`);
  const meanX = xs.reduce((sum, x) => sum + x, 0) / count;
  const meanY = ys.reduce((sum, y) => sum + y, 0) / count;

  let [covariance, variance] = [0, 0];
  for (let index = 0; index < count; index++) {
    covariance += (xs[index]! - meanX) * (ys[index]! - meanY);
    variance += (xs[index]! - meanX) ** 2;
  }
  if (variance === 0) throw new RangeError('a line needs two distinct x values');

  const slope = covariance / variance;
  const intercept = meanY - slope * meanX;
  const squares = xs.reduce((sum, x, index) => sum + (ys[index]! - (intercept + slope * x)) ** 2, 0);
  return { slope, intercept, residualSd: Math.sqrt(squares / count) };
}

export interface GrowthVerdict {
  /** Growth per simulated hour over the second half (the fitted slope). */
  perHour: number;
  /** What that slope adds up to over the second half's span. */
  overSecondHalf: number;
  /** The bound it is held to: three times the samples' scatter around the line, or 1% of their level if larger. */
  bound: number;
  /** The scatter of the first simulated hour's samples (standard deviation), for comparison. */
  firstHourSd: number;
  flat: boolean;
}

/**
 * Fits a line to the samples of the second half (by simulated hour) and calls the quantity
 * flat when the growth the line gives over that half stays within the bound (noise the
 * samples show around the same line; a steady leak shows as a slope with little scatter).
 */
export function growthVerdict(hours: readonly number[], values: readonly number[]): GrowthVerdict {
  const end = hours.at(-1)!;
  const half = hours.findIndex((hour) => hour >= end / 2);
  const line = fitLine(hours.slice(half), values.slice(half));
  const span = end - hours[half]!;
  const level = values.slice(half).reduce((sum, value) => sum + value, 0) / (values.length - half);

  const firstHour = values.filter((_, index) => hours[index]! <= 1);
  const firstMean = firstHour.reduce((sum, value) => sum + value, 0) / Math.max(1, firstHour.length);
  const firstHourSd = Math.sqrt(firstHour.reduce((sum, value) => sum + (value - firstMean) ** 2, 0) / Math.max(1, firstHour.length));

  const bound = Math.max(3 * line.residualSd, 0.01 * Math.abs(level));
  return { perHour: line.slope, overSecondHalf: line.slope * span, bound, firstHourSd, flat: Math.abs(line.slope * span) <= bound };
}
