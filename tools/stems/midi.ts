import toneMidi from '@tonejs/midi';
import type { Part, StemSpec, Swell } from './score.js';

// @tonejs/midi is CommonJS; its named export is reached through the default import.
const { Midi } = toneMidi;

/**
 * MIDI timing: 480 ticks per beat at 120 beats per minute is 960 ticks per second, so a
 * tick is exactly 50 frames at 48 kHz and every event lands on a whole frame.
 */
export const TICKS_PER_SECOND = 960;
const TEMPO_BPM = 120;

/** Channels a stem may use: all 16 but the General MIDI percussion channel (10, index 9). */
const MELODIC_CHANNELS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15];

const CC_VOLUME = 7;
const CC_PAN = 10;
const CC_REVERB = 91;
const CC_CHORUS = 93;
const CC_EXPRESSION = 11;
/** Swells are written as one expression value every this many ticks (50 ms). */
const SWELL_STEP_TICKS = 48;

export interface MidiLayout {
  /** Silence before the first note, in seconds, while the channels are set up. */
  preRollS: number;
  /** How many times the stem's score is played back to back (1 for a one-shot). */
  cycles: number;
  /**
   * The file lasts at least this long (seconds, pre-roll included), so that FluidSynth,
   * which stops rendering when the file ends, renders release and reverb tails.
   */
  minimumLengthS: number;
}

interface ChannelState {
  channel: number;
  part: number;
  /** For each pitch, the tick where its last note on this channel ends. */
  endTickByPitch: Map<number, number>;
}

interface TimedNote {
  part: number;
  midi: number;
  startTick: number;
  endTick: number;
  velocity: number;
}

/**
 * Writes a stem's score as a Standard MIDI File: the score repeated `cycles` times, one
 * cycle every `lengthS` seconds, after a pre-roll in which each channel gets its program,
 * volume, pan and effect sends. A pitch is never struck again on a channel while it still
 * sounds there (its note-off would cut the new note); such notes go to another channel of
 * the same part. Throws if the score needs more than 15 channels.
 */
export function scoreToMidi(spec: StemSpec, layout: MidiLayout): Uint8Array {
  const timed = timedNotes(spec, layout);
  const { channels, channelOfNote } = allocateChannels(timed, spec.info.id);

  const midi = new Midi();
  midi.header.setTempo(TEMPO_BPM);
  midi.header.name = spec.info.id;
  const tracks = new Map<number, InstanceType<typeof Midi>['tracks'][number]>();
  for (const state of channels) {
    const part = spec.parts[state.part];
    if (!part) throw new Error(`stem ${spec.info.id}: no part ${state.part}`);
    const track = midi.addTrack();
    track.channel = state.channel;
    track.instrument.number = part.program;
    for (const [number, value] of partControls(part)) track.addCC({ number, value, ticks: 0 });
    tracks.set(state.channel, track);
  }

  // An unchanged volume at the end keeps the file, and so FluidSynth's render, going
  // through the release and reverb tails.
  const endTick = Math.round(layout.minimumLengthS * TICKS_PER_SECOND);
  for (const state of channels) {
    const swell = spec.parts[state.part]?.swell;
    if (!swell) continue;
    checkSwell(spec, swell);
    const track = tracks.get(state.channel)!;
    for (let ticks = 0; ticks <= endTick; ticks += SWELL_STEP_TICKS) {
      const value = swellValue(swell, ticks / TICKS_PER_SECOND - layout.preRollS);
      track.addCC({ number: CC_EXPRESSION, value: midiValue(value), ticks });
    }
  }
  const firstTrack = midi.tracks[0];
  const firstPart = spec.parts[channels[0]?.part ?? -1];
  if (firstTrack && firstPart) {
    const volume = midiValue(firstPart.volume ?? 100);
    firstTrack.addCC({ number: CC_VOLUME, value: volume, ticks: endTick });
  }

  timed.forEach((note, index) => {
    const track = tracks.get(channelOfNote[index]!);
    if (!track) throw new Error(`stem ${spec.info.id}: note without a channel`);
    track.addNote({
      midi: note.midi,
      ticks: note.startTick,
      durationTicks: note.endTick - note.startTick,
      velocity: midiValue(note.velocity),
    });
  });
  return midi.toArray();
}

function timedNotes(spec: StemSpec, layout: MidiLayout): TimedNote[] {
  const out: TimedNote[] = [];
  for (let cycle = 0; cycle < layout.cycles; cycle++) {
    const offsetS = layout.preRollS + cycle * spec.lengthS;
    for (const note of spec.notes) {
      if (note.velocity < 1 || note.velocity > 127 || note.durationS <= 0) {
        throw new Error(`stem ${spec.info.id}: bad note ${JSON.stringify(note)}`);
      }
      const startTick = Math.round((offsetS + note.startS) * TICKS_PER_SECOND);
      const endTick = Math.round((offsetS + note.startS + note.durationS) * TICKS_PER_SECOND);
      out.push({ ...note, startTick, endTick });
    }
  }
  return out.sort((a, b) => a.startTick - b.startTick || a.midi - b.midi);
}

interface Allocation {
  channels: ChannelState[];
  /** The channel of each note, by its index in the timed notes. */
  channelOfNote: number[];
}

function allocateChannels(timed: readonly TimedNote[], stemId: string): Allocation {
  const channels: ChannelState[] = [];
  const channelOfNote: number[] = [];
  for (const note of timed) {
    let state = channels.find(
      (candidate) =>
        candidate.part === note.part &&
        (candidate.endTickByPitch.get(note.midi) ?? -1) < note.startTick,
    );
    if (!state) {
      const channel = MELODIC_CHANNELS[channels.length];
      if (channel === undefined) throw new Error(`stem ${stemId}: needs more than 15 channels`);
      state = { channel, part: note.part, endTickByPitch: new Map() };
      channels.push(state);
    }
    state.endTickByPitch.set(note.midi, note.endTick);
    channelOfNote.push(state.channel);
  }
  return { channels, channelOfNote };
}

function checkSwell(spec: StemSpec, swell: Swell): void {
  const perCycle = spec.lengthS / swell.periodS;
  if (swell.periodS <= 0 || (spec.info.loop && Math.abs(perCycle - Math.round(perCycle)) > 1e-9)) {
    throw new Error(`stem ${spec.info.id}: swell period ${swell.periodS} s does not divide ` +
      `its cycle of ${spec.lengthS} s`);
  }
}

/** The expression of a swell `atS` seconds after the score's start (0-127). */
function swellValue(swell: Swell, atS: number): number {
  const phase = (atS - (swell.offsetS ?? 0)) / swell.periodS;
  const rise = 0.5 - 0.5 * Math.cos(2 * Math.PI * phase);
  return swell.low + (swell.high - swell.low) * rise;
}

function partControls(part: Part): [number, number][] {
  const panValue = Math.round(64 + part.pan * 63);
  return [
    [CC_VOLUME, midiValue(part.volume ?? 100)],
    [CC_PAN, midiValue(panValue)],
    [CC_REVERB, midiValue(part.reverb)],
    [CC_CHORUS, midiValue(part.chorus ?? 0)],
  ];
}

/** @tonejs/midi takes 0-1 and writes floor(value * 127); the half step survives rounding. */
function midiValue(value: number): number {
  return Math.min(127, Math.max(0, Math.round(value)) + 0.5) / 127;
}
