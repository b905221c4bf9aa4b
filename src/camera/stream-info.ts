/** A frame size in pixels. */
export interface FrameSize {
  width: number;
  height: number;
}

/**
 * Reads ffmpeg's stderr, line by line, for the size of the raw video it writes: the stream
 * line under "Output #0" ("Stream #0:0: Video: rawvideo (RGB[24] / 0x18424752), rgb24(…),
 * 640x360 [SAR 1:1 DAR 16:9], …"). ffmpeg prints it before it writes any frame.
 * Also reports the "incoming frame" warning ffmpeg prints when the source's size differs
 * from what its filters were set up for (seen with `-reinit_filter 0`).
 */
export class OutputStreamInfo {
  private inOutputSection = false;

  constructor(
    private readonly onOutputSize: (size: FrameSize) => void,
    private readonly onSourceSizeChanged: (from: FrameSize, to: FrameSize) => void = () => {},
  ) {}

  readLine(line: string): void {
    if (/^Output #0\b/.test(line)) this.inOutputSection = true;
    if (/^Input #/.test(line)) this.inOutputSection = false;

    if (this.inOutputSection && /Stream #\d+:\d+.*Video: rawvideo/.test(line)) {
      const size = /,\s(\d+)x(\d+)\b/.exec(line);
      if (size) this.onOutputSize({ width: Number(size[1]), height: Number(size[2]) });
    }

    const changed = /w: (\d+) h: (\d+) .*incoming frame - w: (\d+) h: (\d+)/.exec(line);
    if (changed) {
      this.onSourceSizeChanged(
        { width: Number(changed[1]), height: Number(changed[2]) },
        { width: Number(changed[3]), height: Number(changed[4]) },
      );
    }
  }
}
