import { z } from 'zod';

/**
 * A stem pack is a folder with `manifest.json` and audio files (Ogg Vorbis, FLAC or WAV,
 * 48 kHz stereo). This schema is the boundary: a pack is read through it or not at all.
 */
export const stemSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    file: z.string().min(1).describe('Path relative to the manifest.'),
    layer: z.enum(['coarse', 'middle', 'fine']),
    role: z.enum(['drone', 'pad', 'chorale', 'texture', 'motif', 'accent']),
    key: z.string().regex(/^[A-G][#b]?$/).nullable().describe('Key centre; null for unpitched stems.'),
    mode: z.enum(['major', 'minor', 'dorian', 'mixolydian', 'lydian', 'phrygian']).nullable(),
    loop: z.boolean().describe('Loops seamlessly over the whole file; otherwise played once.'),
    tags: z.array(z.string()).default([]).describe('Sun phases, weather, sky events this stem suits.'),
    gainDb: z.number().min(-40).max(12).default(0).describe('Trim applied when the stem plays.'),
    description: z.string().optional(),
  })
  .strict();

export const stemManifestSchema = z
  .object({
    format: z.literal(1),
    sampleRate: z.literal(48_000),
    stems: z.array(stemSchema).min(1),
    licence: z.string().optional().describe('File in the pack that states the licence of the audio.'),
  })
  .strict();

export type StemInfo = z.infer<typeof stemSchema>;
export type StemManifest = z.infer<typeof stemManifestSchema>;
export type Layer = StemInfo['layer'];
