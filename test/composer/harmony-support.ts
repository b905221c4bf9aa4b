import type { ChoosableStem } from '../../src/composer/composer.js';
import type { Layer } from '../../src/audio/stem-manifest.js';
import { keyOfStem, signatureOf, type Mode } from '../../src/composer/keys.js';
import type { PlanEntry } from '../../src/composer/composer.js';
import { RATE, START } from './score-support.js';

export const at = (seconds: number) => START + seconds * 1000;

/** A stem of `layer` in `key` (`D major`, `B minor`; null: unpitched) with `tags`, ten seconds long. */
export function keyed(id: string, layer: Layer, key: string | null, tags: string[]): ChoosableStem {
  const [tonic, mode] = key ? (key.split(' ') as [string, Mode]) : [null, null];
  const info = { id, file: `${id}.ogg`, layer, role: layer === 'fine' ? 'accent' : 'pad', key: tonic, mode, loop: layer !== 'fine', tags, gainDb: 0 } as const;
  return { info: { ...info, tags: [...tags] }, durationFrames: 10 * RATE };
}

/**
 * Stem ids started and not yet stopped after every entry at `frame` is applied (a fade out
 * has begun for a stopped one: the key may cross-fade, but no two keys start together). A
 * one-shot stops by itself `oneShotFadeFrames` (its fade in, mirrored) before its end.
 */
export function activeAfter(plan: readonly PlanEntry[], frame: number, stems: readonly ChoosableStem[], oneShotFadeFrames: number): string[] {
  const open = new Map<number, string>();
  for (const entry of plan) {
    if (entry.frame > frame) continue;
    if (entry.action === 'start') {
      const stem = stems.find((s) => s.info.id === entry.stemId);
      const ends = stem && !stem.info.loop ? entry.frame + stem.durationFrames - Math.min(oneShotFadeFrames, stem.durationFrames) : Infinity;
      if (ends > frame) open.set(entry.voiceId, entry.stemId);
    } else open.delete(entry.voiceId);
  }
  return [...open.values()];
}

/** The key signatures (pitch class of the relative major) of the pitched stems among `ids`. */
export function signaturesOf(ids: readonly string[], stems: readonly ChoosableStem[]): Set<number> {
  const signatures = new Set<number>();
  for (const id of ids) {
    const key = keyOfStem(stems.find((s) => s.info.id === id)!.info);
    if (key) signatures.add(signatureOf(key));
  }
  return signatures;
}
