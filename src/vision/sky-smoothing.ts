/**
 * Smooths what the camera sees of the sky over a short window, so that one frame with a
 * bird on the lens, a flash or a misclassified photograph does not move the music.
 * Cover and brightness take the median of the window; cloud-type probabilities the mean,
 * which still sums to 1. Frames further apart than the window stand alone, as in a
 * recorded day with a frame every few minutes.
 */

/** One frame's view of the sky: cover and brightness 0..1, class probabilities or null. */
export interface SkyView {
  at: number;
  coverFraction: number;
  brightness: number;
  cloudTypes: Record<string, number> | null;
}

export interface SkySmoothingOptions {
  /** Frames older than this many ms before the newest leave the window. Default 30 s. */
  windowMs?: number;
  /** At most this many frames are kept. Default 30. */
  maxFrames?: number;
}

export class SkySmoother {
  private readonly windowMs: number;
  private readonly maxFrames: number;
  private readonly views: SkyView[] = [];

  constructor(options: SkySmoothingOptions = {}) {
    this.windowMs = options.windowMs ?? 30_000;
    this.maxFrames = options.maxFrames ?? 30;
  }

  /** Adds a frame's view and gives the smoothed view at its instant. */
  add(view: SkyView): SkyView {
    if (this.views.length > 0 && view.at < this.views[this.views.length - 1]!.at) this.views.length = 0;
    this.views.push(view);

    const oldest = view.at - this.windowMs;
    while (this.views.length > this.maxFrames || this.views[0]!.at < oldest) this.views.shift();

    return {
      at: view.at,
      coverFraction: median(this.views.map((each) => each.coverFraction)),
      brightness: median(this.views.map((each) => each.brightness)),
      cloudTypes: meanProbabilities(this.views.map((each) => each.cloudTypes)),
    };
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Mean per class over the frames that have probabilities; null when none has. */
function meanProbabilities(all: Array<Record<string, number> | null>): Record<string, number> | null {
  const present = all.filter((each): each is Record<string, number> => each !== null);
  if (present.length === 0) return null;

  const sums: Record<string, number> = {};
  for (const probabilities of present) {
    for (const [label, probability] of Object.entries(probabilities)) sums[label] = (sums[label] ?? 0) + probability;
  }
  for (const label of Object.keys(sums)) sums[label] = sums[label]! / present.length;
  return sums;
}
