import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StemManifest } from '../../src/audio/stem-manifest.js';
import { SOUNDFONT } from './external.js';
import { PEAK_CEILING_DB, TARGET_LUFS, type StemReport } from './produce.js';

export const LICENCE_FILE = 'LICENCE-soundfont.txt';
const SOUNDFONT_COPYRIGHT = '/usr/share/doc/fluid-soundfont-gm/copyright';

/** Writes the soundfont's licence notice, taken from the Debian package's copyright file. */
export async function writeLicence(outDir: string): Promise<void> {
  const copyright = await readFile(SOUNDFONT_COPYRIGHT, 'utf8');
  const text = [
    'The audio in this folder was rendered by skychoir\'s tools/make-stems.ts through the',
    `FluidR3_GM soundfont (${SOUNDFONT}), whose samples it contains.`,
    'The soundfont is released under the MIT licence; its notice follows, as shipped in',
    `Debian's fluid-soundfont-gm package (${SOUNDFONT_COPYRIGHT}).`,
    'The arrangements themselves are part of skychoir and under its licence (MIT).',
    '',
    '-----',
    '',
    copyright.trimEnd(),
    '',
  ].join('\n');
  await writeFile(join(outDir, LICENCE_FILE), text);
}

/** Writes README.md: what each stem is, how the pack was made and how to make it again. */
export async function writeReadme(
  outDir: string,
  manifest: StemManifest,
  reports: readonly StemReport[],
): Promise<void> {
  const rows = manifest.stems.map((stem) => {
    const report = reports.find((each) => each.id === stem.id);
    const length = report ? `${report.durationS.toFixed(1)} s` : '?';
    const kind = stem.loop ? 'loop' : 'one-shot';
    return `| \`${stem.id}\` | ${stem.layer} | ${stem.role} | ${kind}, ${length} | ` +
      `${stem.tags.join(', ')} | ${stem.gainDb} | ${stem.description ?? ''} |`;
  });

  const measuredRows = reports.map((report) => {
    const ratio = (value: number | null): string => (value === null ? '-' : value.toFixed(2));
    return `| \`${report.id}\` | ${report.integratedLufs.toFixed(1)} | ` +
      `${report.peakDb.toFixed(1)} | ${report.rmsDb.toFixed(1)} | ` +
      `${ratio(report.seamRatio)} | ${ratio(report.seamRatioLocal)} |`;
  });

  const text = `# The default stem pack

Choral stems in D major and its relative minor, B minor (the same seven pitches, so any
stem may sound over any other), written as MIDI by \`tools/make-stems.ts\` (the arrangements
are in \`tools/stems/pack-*.ts\`), sung by the General MIDI choir patches of the FluidR3_GM soundfont
(Choir Aahs, Voice Oohs, Synth Voice) through FluidSynth, and stored as Ogg Vorbis (quality 4),
48 kHz stereo. \`manifest.json\` describes them for skychoir; the licence of the audio is in
\`${LICENCE_FILE}\`.

| id | layer | role | kind | tags | gainDb | what it is |
| --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

## How it was made

- Loops are rendered four cycles in a row and the third is cut out at exact frames, so the
  tails of the previous cycle ring into its start as they do when it wraps. Its first quarter
  second is crossfaded from the opening of the cycle that followed it in the render, so the
  wrap continues exactly as the render did. Cycles are multiples of 4 s, the period of
  FluidSynth's chorus, so that every cycle of the render comes out the same.
- Swells are the expression controller (MIDI CC 11) following a raised cosine whose period
  divides the loop's cycle, so every cycle swells alike.
- Tags name what the composer asks for (sun phases, weather, cloud genera, 'bird', 'flock')
  and, where a stem is sung on one vowel, the vowel: ah, oh, oo or mm (hummed). General
  MIDI has no "oh" patch: the "oh" stem sings Choir Aahs and Voice Oohs in unison.
- One-shots get a 5 ms fade-in and fade out to silence at their end.
- Every stem is normalised to ${TARGET_LUFS} LUFS integrated (EBU R128), its peak kept under
  ${PEAK_CEILING_DB} dBFS; \`gainDb\` in the manifest then balances them by role (drones and
  pads near 0 dB, textures and accents below).
- Small variations in timing and loudness come from fixed seeds: the script makes the same
  pack every time with the same FluidSynth, soundfont and ffmpeg.

## Making it again

\`\`\`sh
npm run stems        # node --import tsx tools/make-stems.ts [output folder]
\`\`\`

It needs \`fluidsynth\`, \`ffmpeg\` (with libvorbis) and the soundfont
\`${SOUNDFONT}\`
(Debian packages fluidsynth, ffmpeg, fluid-soundfont-gm). It works in a temporary folder,
prints for every stem the measurements below and fails if a stem comes out silent or
clipped.

## Measured (on the decoded Ogg files)

The seam columns compare the step a loop makes where it wraps (last sample to first) with
its typical step between neighbouring samples, over the whole stem and within 10 ms of the
seam; a click would be tens of times the typical step. Before encoding the wrap is a step
the continuous render made; what the encoded files add is Vorbis coding noise.

| id | LUFS | peak dBFS | RMS dBFS | seam / typical | seam / typical near it |
| --- | --- | --- | --- | --- | --- |
${measuredRows.join('\n')}
`;
  await writeFile(join(outDir, 'README.md'), text);
}
