import type { Logger } from 'pino';
import type { EventBus } from '../bus/bus.js';
import type { Detection, SkyEvents } from '../bus/events.js';
import type { Voice } from '../audio/plan.js';
import { voiceEndFrame } from '../audio/plan.js';
import { clampPan } from '../audio/pan-path.js';
import type { Layer } from '../audio/stem-manifest.js';
import type { Timeline } from '../time/timeline.js';
import { gainOf, matchRule, type AccentEvent, type Score, type ScoreRule } from './score.js';
import { ReverbPlan } from './reverb-plan.js';
import type { Lift, SkyProminence } from './prominence.js';
import { StemChooser, type ChoosableStem } from './stem-choice.js';
import { flockAccent, flockOf, flockVoiceCount, flockVoices, panLine, type FlockShape } from './flock-voices.js';
import { retuneSway, windSway } from './wind-sway.js';
import { densityAt, voicesFor } from './density.js';
import { accentsLeaving, KeyCentre, wantedBrightness } from './harmony.js';
import { WorldState } from './world.js';

export type { ChoosableStem } from './stem-choice.js';

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
  /** The rules (see score.ts and docs/score.md); load one with `loadScore`. */
  score: Score;
  /** Degrees north of the place, for the season's hemisphere; without it, by the UTC month (north). */
  latitude?: number;
  log: Logger;
  /** Plan entries kept (the oldest are forgotten): a live run keeps a bounded log. Default: all. */
  keepEntries?: number;
  /** Rare events louder, judged by this place's sky memory (prominence.ts); without it, none is. */
  prominence?: SkyProminence;
}

interface LayerState {
  /** The tag the current choice answers ('' while resting). */
  tag: string;
  /** The rule in force (its thresholds hold at their `leave` values); null while resting. */
  rule: ScoreRule | null;
  /** Audio seconds the current choice holds at least (its rule's, or the layer's default). */
  holdS: number;
  voices: Voice[];
  sinceFrame: number;
}

/** Weight of a stem that just left the layer (or the last accent) against 1 for the others. */
const JUST_PLAYED_WEIGHT = 0.25;
const LAST_ACCENT_WEIGHT = 0.1;

/** A layer before its first choice: any choice differs from it, and nothing holds it. */
const NOTHING_CHOSEN = { tag: '\u0000', rule: null, holdS: 0, sinceFrame: -Infinity } as const;

/**
 * Turns world state into a plan of voices by the score's rules, coarse to fine.
 * Deterministic: the same events, seed, score and stems give the same plan. Never touches
 * audio nodes.
 */
export class Composer {
  readonly world: WorldState;
  readonly entries: PlanEntry[] = [];

  readonly timeline: Timeline;
  /** The key centre every pitched stem shares (harmony.ts); it moves only at coarse changes. */
  readonly harmony: KeyCentre;
  /** The master reverb's wet level over the output's frames, from humidity and fog. */
  readonly reverb: ReverbPlan;
  private readonly score: Score;
  private readonly chooser: StemChooser;
  private readonly voices: Voice[] = [];
  private readonly layers = new Map<Layer, LayerState>();
  private nextVoiceId = 1;
  /** No accent starts before this frame: the last one's rule holds until then. */
  private accentHoldUntil = -Infinity;
  private lastAccentStem: string | null = null;
  /** No decision lands before this frame: audio before it has been rendered already. */
  private floorFrame = 0;

  constructor(private readonly options: ComposerOptions) {
    this.timeline = options.timeline;
    this.score = options.score;
    this.world = new WorldState(options.latitude ?? null);
    this.reverb = new ReverbPlan(options.score.reverb, options.timeline.frames(1));
    this.chooser = new StemChooser(options.stems, options.seed, options.timeline, options.log);
    this.harmony = new KeyCentre(options.log, options.keepEntries);
  }

  /** Follows the bus: world state first, then the composer's own reactions. */
  follow(bus: EventBus): () => void {
    const stops = [this.world.follow(bus)];
    if (this.options.prominence) stops.push(this.options.prominence.follow(bus));
    const react = ({ at }: { at: number }) => this.update(at);

    for (const name of [
      'sun.phase.changed',
      'weather.observed',
      'precipitation.started',
      'precipitation.stopped',
      'sky.observed',
      'pressure.trend.changed',
      'fog.formed',
      'fog.cleared',
      'wind.gusts.started',
      'wind.gusts.stopped',
    ] as const) {
      stops.push(bus.on(name, 'composer', react));
    }
    stops.push(bus.on('bird.seen', 'composer', (event) => this.answerBirds(event)));
    stops.push(bus.on('flock.started', 'composer', (event) => this.answerFlock(event)));
    stops.push(bus.on('aircraft.seen', 'composer', (event) => this.answerAircraft(event)));
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

  /**
   * Re-evaluates the coarse and middle layers at `atMs` (a change waits out its layer's
   * hold) and the reverb's wet level (a change ramps).
   */
  update(atMs: number): void {
    this.options.prominence?.memory.pass(atMs);
    for (const layer of ['coarse', 'middle'] as const) this.updateLayer(layer, atMs);
    this.followWind(atMs);
    this.reverb.follow(this.world, this.frameFor(atMs));
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

  private updateLayer(layer: 'coarse' | 'middle', atMs: number): void {
    const frame = this.frameFor(atMs);
    const state = this.layers.get(layer) ?? { ...NOTHING_CHOSEN, voices: [] };
    const { defaults } = this.score.layers[layer];
    const rule = matchRule(this.score.layers[layer], this.world, atMs, state.rule);
    const { tag, candidates: tagged } = this.chooser.candidatesFor(layer, rule?.tags ?? []);
    // Voices out of a moved key's notes cross-fade at once, whatever the hold.
    const outOfKey = this.harmony.outOfKey(state.voices, frame, this.stemOf).length > 0;

    // The same tag from another rule changes nothing audible: that rule is in force now.
    if (tag === state.tag && !outOfKey) {
      if (tag !== '') state.rule = rule;
      if (tag !== '') this.followDensity(layer, state, frame, atMs);
      return;
    }
    if (!outOfKey && frame - state.sinceFrame < this.options.timeline.frames(state.holdS)) return;

    // Stems that suit the new state too play on untouched; the others cross-fade.
    const settings = rule ?? defaults;
    const fadeFrames = this.options.timeline.frames(settings.fadeS);
    const keyNote = layer === 'coarse' ? this.moveKey(tagged, rule, frame, fadeFrames, atMs) : '';
    const { candidates, note: fitNote } = this.harmony.fit(layer, tag, tagged, frame, atMs);
    const kept = state.voices.filter((voice) => candidates.some((stem) => stem.info.id === voice.stemId));
    const leaving = state.voices.filter((voice) => !kept.includes(voice));
    const avoid = new Set(leaving.map((voice) => voice.stemId));
    const moving = `${layer} moves to "${tag || 'rest'}"${keyNote}${outOfKey ? ` in ${this.harmony.name}` : ''}`;
    for (const voice of leaving) this.stopVoice(voice, frame, fadeFrames, atMs, moving);

    const fresh = candidates.filter((stem) => !kept.some((voice) => voice.stemId === stem.info.id));
    const weight = (stem: ChoosableStem) => (avoid.has(stem.info.id) ? JUST_PLAYED_WEIGHT : 1);
    const count = Math.max(0, voicesFor(settings, this.world.cloudCover(atMs)) - kept.length);
    const { chosen, note } = this.chooser.choose(layer, fresh, count, weight, frame, settings.repeatWindowS);
    const lift = layer === 'middle' && tag !== '' ? this.options.prominence?.middle(atMs) : undefined;
    const gain = gainOf(settings.gain, this.world, atMs) * (lift?.gain ?? 1);
    const why = `${layer} answers "${tag}"${rule ? ` by ${rule.label}` : ''}${keyNote}${fitNote}${note}${lift?.note ?? ''}`;
    const started = chosen.map((stem) => this.startVoice(stem, layer, frame, fadeFrames, gain, 0, atMs, why));
    if (layer === 'middle') this.swayWithWind(started);

    this.layers.set(layer, {
      tag,
      rule: tag === '' ? null : rule,
      holdS: tag === '' ? defaults.minHoldS : settings.minHoldS * (lift?.hold ?? 1),
      voices: [...kept, ...started],
      sinceFrame: frame,
    });
  }

  /** At a coarse change: moves the key centre if it should, fading out accents that leave its notes. */
  private moveKey(tagged: ChoosableStem[], rule: ScoreRule | null, frame: number, fadeFrames: number, atMs: number): string {
    const wanted = wantedBrightness(rule?.brightness ?? null, rule?.label ?? null, this.world);
    const note = this.harmony.choose(tagged, wanted, frame, atMs);
    const reason = `the key moves to ${this.harmony.name}`;
    for (const out of accentsLeaving(this.harmony, this.voices, frame, fadeFrames, this.stemOf)) {
      this.stopVoice(out.voice, frame, out.fadeFrames, atMs, reason);
    }
    return note;
  }

  private readonly stemOf = (id: string): ChoosableStem | undefined => this.options.stems.find((stem) => stem.info.id === id);

  private answerBirds(event: SkyEvents['bird.seen']): void {
    const reason = `${event.count} bird${event.count === 1 ? '' : 's'} in frame ${event.frameId}`;
    const lift = this.options.prominence?.accent('bird', event.at);
    this.accent({ kind: 'bird', birds: event.count }, event.at, meanX(event.detections), reason, lift);
  }

  private answerFlock(event: SkyEvents['flock.started']): void {
    const reason = `a flock of ${event.size} (${event.flockId}) in frame ${event.frameId}`;
    const lift = this.options.prominence?.accent('flock', event.at);
    this.accent(flockAccent(event), event.at, event.centroid.x, reason, lift);
  }

  private answerAircraft(event: SkyEvents['aircraft.seen']): void {
    const reason = `an aircraft in frame ${event.frameId}`;
    const lift = this.options.prominence?.accent('aircraft', event.at);
    this.accent({ kind: 'aircraft', birds: null }, event.at, meanX(event.detections), reason, lift);
  }

  /**
   * Answers `event` by the first fine rule that holds, centred at `x` (0..1 across the frame,
   * panned there); a flock by voices of its size moving with it (flock-voices.ts). Dropped
   * while the last accent's rule holds (its minHoldS), to avoid a clatter.
   */
  private accent(event: AccentEvent, atMs: number, x: number, reason: string, lift?: Lift): void {
    const frame = this.frameFor(atMs, this.options.accentLatencyS);
    if (frame < this.accentHoldUntil) {
      this.options.log.debug({ reason }, 'accent skipped: too close to the last one');
      return;
    }

    const rule = matchRule(this.score.layers.fine, this.world, atMs, null, event);
    const { tag, candidates: tagged } = this.chooser.candidatesFor('fine', rule?.tags ?? []);
    const { candidates, note: keyNote } = this.harmony.fit('fine', tag, tagged, frame, atMs);
    if (!rule || candidates.length === 0) {
      this.options.log.debug({ reason, rule: rule?.label ?? null }, 'accent skipped: no rule or stem answers it');
      return;
    }

    const weight = (stem: ChoosableStem) => (stem.info.id === this.lastAccentStem ? LAST_ACCENT_WEIGHT : 1);
    const { maxVoices, repeatWindowS } = rule;
    const flock = flockOf(event);
    const extra = lift?.voices ?? 0;
    const count = flock ? Math.max(maxVoices, Math.min(4, flockVoiceCount(flock.size) + extra)) : maxVoices;
    const { chosen, note } = this.chooser.choose('fine', candidates, count, weight, frame, repeatWindowS);
    const pan = clampPan(x * 2 - 1);
    const gain = gainOf(rule.gain, this.world, atMs) * (lift?.gain ?? 1);
    const fadeFrames = this.options.timeline.frames(rule.fadeS);
    const why = `${reason}${lift ? `, ${lift.note}` : ''}, by ${rule.label}${keyNote}${note}`;
    if (flock) this.singFlock(flock, count, chosen, frame, fadeFrames, gain, atMs, why);
    else for (const stem of chosen) this.startVoice(stem, 'fine', frame, fadeFrames, gain, pan, atMs, why);
    this.accentHoldUntil = frame + this.options.timeline.frames(rule.minHoldS);
    this.lastAccentStem = chosen[0]?.info.id ?? this.lastAccentStem;
  }

  /** Starts a flock's voices over `chosen` stems, each on a pan path from the flock's place along its heading. */
  private singFlock(flock: FlockShape, count: number, chosen: ChoosableStem[], frame: number, fadeFrames: number, gain: number, atMs: number, why: string): void {
    const longest = Math.max(0, ...chosen.map((stem) => stem.durationFrames));
    const perSecond = this.options.timeline.frames(1);
    for (const part of flockVoices(flock, count, gain, chosen.length, longest / perSecond, perSecond)) {
      const stem = chosen[part.stemIndex];
      if (!stem) continue;
      const voice = this.startVoice(stem, 'fine', frame + part.delayFrames, fadeFrames, part.gain, part.panFrom, atMs, why);
      if (part.panTo !== part.panFrom) voice.panPath = panLine(voice.startFrame, longest, part.panFrom, part.panTo);
    }
  }

  /**
   * While a layer's choice holds, its number of voices follows the cloud cover by the rule's
   * `voicesPerCover` (density.ts): after the hold, a voice more fades in or the newest fades
   * out over the rule's fadeS.
   */
  private followDensity(layer: 'coarse' | 'middle', state: LayerState, frame: number, atMs: number): void {
    const rule = state.rule;
    if (!rule || frame - state.sinceFrame < this.options.timeline.frames(state.holdS)) return;
    const playing = state.voices.filter((voice) => voice.stopFrame === null || voice.stopFrame > frame);
    const cover = this.world.cloudCover(atMs);
    const wanted = densityAt(rule, cover, playing.length);
    if (wanted === playing.length) return;

    const fadeFrames = this.options.timeline.frames(rule.fadeS);
    const why = `${layer} ${wanted > playing.length ? 'thickens' : 'thins'} to ${wanted} voice${wanted === 1 ? '' : 's'} under ${Math.round((cover ?? 0) * 100)}% cloud, by ${rule.label}`;
    for (const voice of playing.slice(wanted)) this.stopVoice(voice, frame, fadeFrames, atMs, why);
    const { tag, candidates: tagged } = this.chooser.candidatesFor(layer, rule.tags);
    const { candidates } = this.harmony.fit(layer, tag, tagged, frame, atMs);
    const fresh = candidates.filter((stem) => !playing.some((voice) => voice.stemId === stem.info.id));
    const count = Math.max(0, wanted - playing.length);
    const { chosen, note } = this.chooser.choose(layer, fresh, count, () => 1, frame, rule.repeatWindowS);
    const gain = gainOf(rule.gain, this.world, atMs);
    const started = chosen.map((stem) => this.startVoice(stem, layer, frame, fadeFrames, gain, 0, atMs, `${why}${note}`));
    if (layer === 'middle') this.swayWithWind(started);
    state.voices = [...playing.slice(0, wanted), ...started];
    state.sinceFrame = frame;
  }

  /** Textures already playing follow the wind: each sway retunes where it next passes its centre (wind-sway.ts). */
  private followWind(atMs: number): void {
    const frame = this.frameFor(atMs);
    for (const voice of this.layers.get('middle')?.voices ?? []) {
      if (voice.stopFrame === null || voice.stopFrame > frame) retuneSway(voice, this.world.windSpeedMs, frame, this.options.timeline.frames(1));
    }
  }

  /** Middle-layer textures drift in the stereo field with the wind they start in (wind-sway.ts). */
  private swayWithWind(voices: Voice[]): void {
    for (const voice of voices) {
      const sway = windSway(this.world.windSpeedMs, voice.id, this.options.timeline.frames(1));
      if (sway) voice.panSway = sway;
    }
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
    if (voice.stopFrame !== null) this.chooser.stopped(layer, voice.stemId, voice.stopFrame);
    this.record(voice, 'start', frame, atMs, reason);
    return voice;
  }

  private stopVoice(voice: Voice, frame: number, fadeFrames: number, atMs: number, reason: string): void {
    if (voice.stopFrame !== null && voice.stopFrame <= frame) return;
    voice.stopFrame = Math.max(frame, voice.startFrame);
    voice.fadeOutFrames = fadeFrames;
    this.chooser.stopped(voice.layer, voice.stemId, voice.stopFrame);
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

/** Mean horizontal centre of `detections`, 0..1 across the frame (0 for none). */
function meanX(detections: readonly Detection[]): number {
  return detections.reduce((sum, d) => sum + d.box.x + d.box.width / 2, 0) / Math.max(1, detections.length);
}
