/**
 * Makes the default choral stem pack: composes each stem as MIDI, sings it through the
 * FluidR3_GM choir patches with FluidSynth, cuts loops and one-shots, normalises, encodes
 * Ogg Vorbis and writes the manifest, README and soundfont licence.
 *
 *   node --import tsx tools/make-stems.ts [output folder, default samples/stems]
 *
 * Intermediate files live in a temporary folder that is removed at the end; only the .ogg
 * files, manifest.json, README.md and the licence land in the output folder, and .ogg files
 * there that the pack no longer has are removed.
 */
import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stemManifestSchema, type StemManifest } from '../src/audio/stem-manifest.js';
import { LICENCE_FILE, writeLicence, writeReadme } from './stems/docs.js';
import { bedStems } from './stems/pack-beds.js';
import { coarseStems } from './stems/pack-coarse.js';
import { fineStems } from './stems/pack-fine.js';
import { flightStems } from './stems/pack-flight.js';
import { middleStems } from './stems/pack-middle.js';
import { skyStems } from './stems/pack-sky.js';
import { weatherStems } from './stems/pack-weather.js';
import { produceStem, type StemReport } from './stems/produce.js';

const REPO_DIR = resolve(fileURLToPath(import.meta.url), '../..');
const DEFAULT_OUT_DIR = join(REPO_DIR, 'samples/stems');
/** The pack should stay small enough to ship in the package (the issue asks under 40 MB). */
const SIZE_BUDGET_BYTES = 40 * 1000 * 1000;

async function main(): Promise<void> {
  const outDir = resolve(process.argv[2] ?? DEFAULT_OUT_DIR);
  await mkdir(outDir, { recursive: true });
  const workDir = await mkdtemp(join(tmpdir(), 'skychoir-stems-'));
  const specs = [
    ...coarseStems(), ...bedStems(),
    ...middleStems(), ...weatherStems(), ...skyStems(),
    ...fineStems(), ...flightStems(),
  ];

  try {
    const reports: StemReport[] = [];
    for (const [index, spec] of specs.entries()) {
      const report = await produceStem(spec, workDir, outDir);
      reports.push(report);
      console.log(`[${index + 1}/${specs.length}] ${describe(report)}`);
    }

    const faults = reports.flatMap(listenProxyFaults);
    if (faults.length > 0) throw new Error(`the pack has faults:\n  ${faults.join('\n  ')}`);

    const manifest: StemManifest = stemManifestSchema.parse({
      format: 1,
      sampleRate: 48_000,
      licence: LICENCE_FILE,
      stems: specs.map((spec) => ({ ...spec.info, file: `${spec.info.id}.ogg` })),
    });
    await writeFile(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await writeLicence(outDir);
    await writeReadme(outDir, manifest, reports);
    await removeStaleStems(outDir, new Set(reports.map((report) => report.file)));

    const totalBytes = reports.reduce((sum, report) => sum + report.bytes, 0);
    const totalMiB = (totalBytes / 1024 / 1024).toFixed(2);
    console.log(`pack: ${reports.length} stems, ${totalMiB} MiB in ${outDir}`);
    if (totalBytes > SIZE_BUDGET_BYTES) throw new Error('the pack is over its 40 MB budget');
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Below this RMS a stem counts as silent (dBFS). */
const SILENT_RMS_DB = -50;
/** At or above this sample peak a stem counts as clipped (dBFS). */
const CLIPPED_PEAK_DB = -0.1;

/** What the measurements say no one would want to hear: silence or clipping. */
function listenProxyFaults(report: StemReport): string[] {
  const faults: string[] = [];
  if (report.rmsDb < SILENT_RMS_DB) {
    faults.push(`${report.id} is silent (RMS ${report.rmsDb.toFixed(1)} dBFS)`);
  }
  if (report.peakDb >= CLIPPED_PEAK_DB) {
    faults.push(`${report.id} clips (peak ${report.peakDb.toFixed(1)} dBFS)`);
  }
  return faults;
}

function describe(report: StemReport): string {
  const fields = [
    `${report.durationS.toFixed(2)} s`,
    `${(report.bytes / 1024).toFixed(0)} KiB`,
    `${report.integratedLufs.toFixed(1)} LUFS`,
    `peak ${report.peakDb.toFixed(1)} dBFS (true ${report.truePeakDb.toFixed(1)})`,
    `rms ${report.rmsDb.toFixed(1)} dBFS`,
    `normalised ${report.normaliseDb >= 0 ? '+' : ''}${report.normaliseDb.toFixed(1)} dB`,
  ];
  if (report.seamRatio !== null && report.seamRatioLocal !== null) {
    fields.push(
      `seam step ${report.seamRatio.toFixed(2)}x typical ` +
        `(${report.seamRatioLocal.toFixed(2)}x near the seam, ` +
        `${report.seamRatioBeforeEncoding?.toFixed(2)}x before encoding)`,
      `cycles differ by ${report.cycleMismatchDb?.toFixed(0)} dB`,
    );
  }
  return `${report.id.padEnd(21)} ${fields.join(', ')}`;
}

async function removeStaleStems(outDir: string, keep: ReadonlySet<string>): Promise<void> {
  for (const name of await readdir(outDir)) {
    if (name.endsWith('.ogg') && !keep.has(name)) {
      await rm(join(outDir, name));
      console.log(`removed ${name}: no longer in the pack`);
    }
  }
}

await main();
