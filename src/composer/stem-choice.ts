import type { Logger } from 'pino';
import type { Layer, StemInfo } from '../audio/stem-manifest.js';
import type { Timeline } from '../time/timeline.js';
import { SeededRandom } from './random.js';
import { RepeatMemory } from './repeat-memory.js';

/** A stem the composer may choose: its manifest entry and its length in frames. */
export interface ChoosableStem {
  info: StemInfo;
  durationFrames: number;
}

/** What {@link StemChooser.choose} picked, and a note on the repeat window for the plan's reason. */
export interface Choice {
  chosen: ChoosableStem[];
  /** '' when the window changed nothing; else `; repeat window rests …` or `; again within …`. */
  note: string;
}

/**
 * Chooses stems for a layer: candidates by tag, seeded weighted picks, and the score's repeat
 * windows. Deterministic: the same seed and the same calls give the same choices.
 */
export class StemChooser {
  private readonly random: SeededRandom;
  private readonly repeats = new RepeatMemory();

  constructor(
    private readonly stems: readonly ChoosableStem[],
    seed: number,
    private readonly timeline: Timeline,
    private readonly log: Logger,
  ) {
    this.random = new SeededRandom(seed);
  }

  /** The first of `tags` that some stem of `layer` carries ('' if none), and those stems. */
  candidatesFor(layer: Layer, tags: readonly string[]): { tag: string; candidates: ChoosableStem[] } {
    for (const tag of tags) {
      const candidates = this.stems.filter((stem) => stem.info.layer === layer && stem.info.tags.includes(tag));
      if (candidates.length > 0) return { tag, candidates };
    }
    return { tag: '', candidates: [] };
  }

  /** Notes that `stemId` stops (or, for a one-shot, will end) in `layer` at `frame`. */
  stopped(layer: Layer, stemId: string, frame: number): void {
    this.repeats.stopped(layer, stemId, frame);
  }

  /**
   * Up to `count` distinct stems of `candidates` for `layer` at `frame`, each pick weighted by
   * `weight`. Candidates that stopped in the layer less than `repeatWindowS` (audio seconds)
   * before `frame` are left out unless no other candidate is left; either case is logged.
   */
  choose(
    layer: Layer,
    candidates: readonly ChoosableStem[],
    count: number,
    weight: (stem: ChoosableStem) => number,
    frame: number,
    repeatWindowS: number,
  ): Choice {
    const ids = candidates.map((stem) => stem.info.id);
    const { free, resting } = this.repeats.split(layer, ids, frame, this.timeline.frames(repeatWindowS));
    let pool = candidates.filter((stem) => free.includes(stem.info.id));
    let note = '';

    if (count > 0 && resting.length > 0) {
      const waived = pool.length === 0;
      if (waived) pool = [...candidates];
      note = waived
        ? `; again within its ${repeatWindowS} s repeat window: no other stem fits`
        : `; repeat window rests ${resting.join(', ')}`;
      const message = waived ? 'repeat window waived: no other stem fits' : 'repeat window rests stems';
      this.log.info({ layer, frame, repeatWindowS, resting, waived }, message);
    }

    const chosen: ChoosableStem[] = [];
    while (chosen.length < count && pool.length > 0) {
      const pick = this.random.pickWeighted(pool, weight)!;
      chosen.push(pick);
      pool.splice(pool.indexOf(pick), 1);
    }
    return { chosen, note };
  }
}
