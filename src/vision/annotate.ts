/**
 * Draws what vision found on the frame it found it in: a box and label for every bird,
 * aircraft and other detection, the motion regions dashed, and a caption with the sky's
 * cover, brightness and most likely cloud type. For people (`skychoir detect`), not for
 * the pipeline: it costs a PNG encode.
 */
import sharp from 'sharp';
import type { Detection, FrameBox } from '../bus/events.js';
import type { RgbFrame } from './rgb-frame.js';

export interface FrameMarks {
  birds: readonly Detection[];
  aircraft: readonly Detection[];
  /** Detections that are neither (shown thin, for seeing what the detector thinks). */
  others?: readonly Detection[];
  motion?: readonly FrameBox[];
  /** One line under the picture, e.g. "cover 62% · brightness 71% · cumuliform 80%". */
  caption: string;
}

const COLOURS = { bird: '#ffd400', aircraft: '#00e0ff', other: '#ff5a5a', motion: '#ffffff' } as const;
const CAPTION_HEIGHT = 28;

/** The frame with its marks, as a PNG 640 to 1280 pixels wide (a small frame is enlarged so the labels fit). */
export async function annotateFrame(frame: RgbFrame, marks: FrameMarks): Promise<Buffer> {
  const scale = Math.min(Math.max(1, 640 / frame.width), 1280 / frame.width);
  const width = Math.round(frame.width * scale);
  const height = Math.round(frame.height * scale);

  const picture = await sharp(frame.rgb, { raw: { width: frame.width, height: frame.height, channels: 3 } })
    .resize(width, height)
    .extend({ bottom: CAPTION_HEIGHT, background: '#000000' })
    .png()
    .toBuffer();

  const overlay = Buffer.from(overlaySvg(marks, width, height));
  return sharp(picture).composite([{ input: overlay, top: 0, left: 0 }]).png().toBuffer();
}

function overlaySvg(marks: FrameMarks, width: number, height: number): string {
  const shapes = [
    ...(marks.motion ?? []).map((box) => rect(box, width, height, COLOURS.motion, 1, '4 3')),
    ...(marks.others ?? []).map((each) => labelled(each, width, height, COLOURS.other, 1)),
    ...marks.aircraft.map((each) => labelled(each, width, height, COLOURS.aircraft, 2, 'aircraft')),
    ...marks.birds.map((each) => labelled(each, width, height, COLOURS.bird, 2, 'bird')),
  ];
  const caption = `<text x="8" y="${height + 19}" fill="#ffffff" font-family="sans-serif" font-size="15">${escapeXml(marks.caption)}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + CAPTION_HEIGHT}">${shapes.join('')}${caption}</svg>`;
}

/** A box with its label; `as` names what vision took it for when that differs from the detector's label. */
function labelled(detection: Detection, width: number, height: number, colour: string, stroke: number, as?: string): string {
  const said = `${detection.label} ${Math.round(detection.score * 100)}%`;
  const text = as && as !== detection.label ? `${as} (${said})` : said;
  const x = Math.max(0, detection.box.x * width);
  const y = Math.max(12, detection.box.y * height - 3);
  const label = `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" fill="${colour}" font-family="sans-serif" font-size="12">${escapeXml(text)}</text>`;
  return rect(detection.box, width, height, colour, stroke) + label;
}

function rect(box: FrameBox, width: number, height: number, colour: string, stroke: number, dash?: string): string {
  const [x, y, w, h] = [box.x * width, box.y * height, box.width * width, box.height * height].map((value) => value.toFixed(1));
  const dashes = dash ? ` stroke-dasharray="${dash}"` : '';
  return `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="none" stroke="${colour}" stroke-width="${stroke}"${dashes}/>`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
