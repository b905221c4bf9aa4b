import type { Logger } from 'pino';
import type { EventBus } from '../bus/bus.js';
import type { SkyEvents } from '../bus/events.js';
import type { Voice } from '../audio/plan.js';
import { voiceEndFrame } from '../audio/plan.js';
import type { Layer, StemInfo } from '../audio/stem-manifest.js';
import type { Timeline } from '../time/timeline.js';
import { SeededRandom } from './random.js';
import { ACCENT_RULE, COARSE_RULE, MIDDLE_RULE, type LayerRule } from './score.js';
import { WorldState } from './world.js';

/** A stem the composer may choose: its manifest entry and its length in frames. */
export interface ChoosableStem {
  info: StemInfo;
  durationFrames: number;
}

/** One decision, as written to the render log: why the music did what it did. */
export interface PlanEntry {
  frame: number;
  /** The sky instant the decision answers, as a UTC ISO string. */
  at: string;
  layer: Layer;
  action: 'start' | 'stop';
  stemId: string;
  voiceId: number;
  reason: string;
}

export interface ComposerOptions {
  timeline: Timeline;
  stems: readonly ChoosableStem[];
  seed: number;
  /** Audio seconds between an event and the accent that answers it. */
  accentLatencyS: number;
  log: Logger;
  /** Plan entries kept (the oldest are forgotten): a live run keeps a bounded log. Default: all. */
  keepEntries?: number;
}

interface LayerState {
  /** The tag the current choice answers ('' while resting). */
  tag: string;
  voices: Voice[];
  sinceFrame: number;
}

/**
 * Turns world state into a plan of voices, coarse to fine. Deterministic: the same
 * events, seed and stems give the same plan. Never touches audio nodes.
 */
export class Composer {
  readonly world = new WorldState();
  readonly entries: PlanEntry[] = [];

  readonly timeline: Timeline;
  private readonly random: SeededRandom;
  private readonly voices: Voice[] = [];
  private readonly layers = new Map<Layer, LayerState>();
  private nextVoiceId = 1;
  private lastAccentFrame = -Infinity;
  private lastAccentStem: string | null = null;
  /** No decision lands before this frame: audio before it has been rendered already. */
  private floorFrame = 0;

  constructor(private readonly options: ComposerOptions) {
    this.timeline = options.timeline;
    this.random = new SeededRandom(options.seed);
  }

  /** Follows the bus: world state first, then the composer's own reactions. */
  follow(bus: EventBus): () => void {
    const stops = [this.world.follow(bus)];
    const react = ({ at }: { at: number }) => this.update(at);

    for (const name of [
      'sun.phase.changed',
      'weather.observed',
      'precipitation.started',
      'precipitation.stopped',
      'sky.observed',
    ] as const) {
      stops.push(bus.on(name, 'composer', react));
    }
    stops.push(bus.on('bird.seen', 'composer', (event) => this.answerBirds(event)));
    stops.push(bus.on('flock.started', 'composer', (event) => this.answerFlock(event)));
    return () => stops.forEach((stop) => stop());
  }

  /**
   * Audio before `frame` has been rendered (and heard): a decision for an earlier instant
   * lands at `frame` instead, so that nothing starts or stops inside audio already out,
   * which would cut an accent's start or step a fade at the chunk's edge. Offline, events
   * are always ahead of the rendered audio and this changes nothing; live, the audio runs a
   * little ahead of the sky and late events land at the first frame still to come.
   */
  holdFrom(frame: number): void {
    this.floorFrame = Math.max(this.floorFrame, frame);
  }

  /** Re-evaluates the coarse and middle layers at `atMs` (a change waits out its layer's hold). */
  update(atMs: number): void {
    for (const rule of [COARSE_RULE, MIDDLE_RULE]) this.updateLayer(rule, atMs);
  }

  /** Voices audible in [startFrame, startFrame + frames). */
  voicesIn(startFrame: number, frames: number): Voice[] {
    return this.voices.filter((voice) => {
      const end = voiceEndFrame(voice);
      return voice.startFrame < startFrame + frames && (end === null || end > startFrame);
    });
  }

  /** Forgets voices that ended before `frame`, so a long run keeps a bounded plan. */
  prune(frame: number): void {
    for (let index = this.voices.length - 1; index >= 0; index--) {
      const end = voiceEndFrame(this.voices[index]!);
      if (end !== null && end < frame) this.voices.splice(index, 1);
    }
  }

  /** Stems playing at `frame`, by layer, for status displays. */
  playingAt(frame: number): Record<Layer, string[]> {
    const playing: Record<Layer, string[]> = { coarse: [], middle: [], fine: [] };
    for (const voice of this.voicesIn(frame, 1)) playing[voice.layer].push(voice.stemId);
    return playing;
  }

  /** The frame a decision for `atMs` (plus `delayS` of audio) lands at, never before the floor. */
  private frameFor(atMs: number, delayS = 0): number {
    return Math.max(this.floorFrame, this.options.timeline.frameAt(atMs) + this.options.timeline.frames(delayS));
  }

  private updateLayer(rule: LayerRule, atMs: number): void {
    const frame = this.frameFor(atMs);
    const state = this.layers.get(rule.layer) ?? { tag: '\u0000', voices: [], sinceFrame: -Infinity };
    const { tag, candidates } = this.candidatesFor(rule, atMs, state.tag);

    if (tag === state.tag) return;
    if (frame - state.sinceFrame < this.options.timeline.frames(rule.minHoldS)) return;

    // Stems that suit the new state too play on untouched; the others cross-fade.
    const fadeFrames = this.options.timeline.frames(rule.fadeS);
    const kept = state.voices.filter((voice) => candidates.some((stem) => stem.info.id === voice.stemId));
    const leaving = state.voices.filter((voice) => !kept.includes(voice));
    const avoid = new Set(leaving.map((voice) => voice.stemId));
    for (const voice of leaving) this.stopVoice(voice, frame, fadeFrames, atMs, `${rule.layer} moves to "${tag || 'rest'}"`);

    const fresh = candidates.filter((stem) => !kept.some((voice) => voice.stemId === stem.info.id));
    const chosen = this.chooseStems(fresh, Math.max(0, rule.maxVoices - kept.length), avoid);
    const gain = rule.gain(this.world, atMs);
    const started = chosen.map((stem) =>
      this.startVoice(stem, rule.layer, frame, fadeFrames, gain, 0, atMs, `${rule.layer} answers "${tag}"`),
    );

    this.layers.set(rule.layer, { tag, voices: [...kept, ...started], sinceFrame: frame });
  }

  /** The first wanted tag that some stem of the layer carries, and those stems. */
  private candidatesFor(rule: LayerRule, atMs: number, currentTag: string): { tag: string; candidates: ChoosableStem[] } {
    for (const tag of rule.wantedTags(this.world, atMs, currentTag)) {
      const candidates = this.options.stems.filter(
        (stem) => stem.info.layer === rule.layer && stem.info.tags.includes(tag),
      );
      if (candidates.length > 0) return { tag, candidates };
    }
    return { tag: '', candidates: [] };
  }

  /** Up to `count` distinct stems, weighted away from the ones that just played. */
  private chooseStems(candidates: ChoosableStem[], count: number, avoid: Set<string>): ChoosableStem[] {
    const pool = [...candidates];
    const chosen: ChoosableStem[] = [];
    while (chosen.length < count && pool.length > 0) {
      const pick = this.random.pickWeighted(pool, (stem) => (avoid.has(stem.info.id) ? 0.25 : 1))!;
      chosen.push(pick);
      pool.splice(pool.indexOf(pick), 1);
    }
    return chosen;
  }

  private answerBirds(event: SkyEvents['bird.seen']): void {
    const meanX = event.detections.reduce((sum, d) => sum + d.box.x + d.box.width / 2, 0) / Math.max(1, event.detections.length);
    const reason = `${event.count} bird${event.count === 1 ? '' : 's'} in frame ${event.frameId}`;
    this.accent(event.at, event.count, meanX, reason);
  }

  private answerFlock(event: SkyEvents['flock.started']): void {
    this.accent(event.at, event.size, event.centroid.x, `a flock of ${event.size} (${event.flockId}) in frame ${event.frameId}`);
  }

  /** Starts an accent for `count` birds centred at `x` (0..1 across the frame), panned there. */
  private accent(atMs: number, count: number, x: number, reason: string): void {
    const frame = this.frameFor(atMs, this.options.accentLatencyS);
    if (frame - this.lastAccentFrame < this.options.timeline.frames(ACCENT_RULE.minSpacingS)) {
      this.options.log.debug({ reason }, 'accent skipped: too close to the last one');
      return;
    }

    const tag = ACCENT_RULE.tagFor(count);
    const accents = this.options.stems.filter((stem) => stem.info.layer === 'fine');
    const candidates = accents.filter((stem) => stem.info.tags.includes(tag));
    const pool = candidates.length > 0 ? candidates : accents.filter((stem) => stem.info.tags.includes('bird'));
    if (pool.length === 0) return;

    const stem = this.random.pickWeighted(pool, (s) => (s.info.id === this.lastAccentStem ? 0.1 : 1))!;
    const pan = Math.max(-1, Math.min(1, x * 2 - 1));
    this.startVoice(stem, 'fine', frame, this.options.timeline.frames(0.01), ACCENT_RULE.gain, pan, atMs, reason);
    this.lastAccentFrame = frame;
    this.lastAccentStem = stem.info.id;
  }

  private startVoice(
    stem: ChoosableStem,
    layer: Layer,
    frame: number,
    fadeInFrames: number,
    gain: number,
    pan: number,
    atMs: number,
    reason: string,
  ): Voice {
    const oneShot = !stem.info.loop;
    const fadeOutFrames = oneShot ? Math.min(fadeInFrames, stem.durationFrames) : 0;
    const voice: Voice = {
      id: this.nextVoiceId++,
      stemId: stem.info.id,
      layer,
      startFrame: frame,
      fadeInFrames,
      stopFrame: oneShot ? frame + stem.durationFrames - fadeOutFrames : null,
      fadeOutFrames,
      gain,
      pan,
    };

    this.voices.push(voice);
    this.record(voice, 'start', frame, atMs, reason);
    return voice;
  }

  private stopVoice(voice: Voice, frame: number, fadeFrames: number, atMs: number, reason: string): void {
    if (voice.stopFrame !== null && voice.stopFrame <= frame) return;
    voice.stopFrame = Math.max(frame, voice.startFrame);
    voice.fadeOutFrames = fadeFrames;
    this.record(voice, 'stop', frame, atMs, reason);
  }

  private record(voice: Voice, action: PlanEntry['action'], frame: number, atMs: number, reason: string): void {
    const entry: PlanEntry = {
      frame,
      at: new Date(atMs).toISOString(),
      layer: voice.layer,
      action,
      stemId: voice.stemId,
      voiceId: voice.id,
      reason,
    };
    this.entries.push(entry);
    const keep = this.options.keepEntries ?? Number.POSITIVE_INFINITY;
    if (this.entries.length > keep) this.entries.splice(0, this.entries.length - keep);
    this.options.log.info(entry, `${action} ${voice.stemId}`);
  }
}
