import { PAN_GRID_FRAMES, panAt, panGains, type PanGains } from './pan-path.js';
import type { Voice } from './plan.js';

/** One grid cell of a moving voice's pan-law gains: each is `base + slope × (frame - cellStart)`. */
export interface PanCell extends PanGains {
  cellStart: number;
  leftFromLeftSlope: number;
  leftFromRightSlope: number;
  rightFromLeftSlope: number;
  rightFromRightSlope: number;
}

/**
 * A moving voice's pan-law gains, cell by cell. The gains are computed exactly (panAt,
 * panGains) at every multiple of PAN_GRID_FRAMES of the output and are linear in between:
 * continuous in the frame (a ramp, never a step), and a pure function of the absolute frame,
 * so that any chunking renders the same samples. Between grid points the law is followed
 * within 1e-5 for a pan crossing the whole field in a second or slower; where the law itself
 * turns (a path's corner, a sway's turn, the centre where StereoPannerNode's law changes
 * formula) the corner is rounded over one cell (64 frames, 1.3 ms).
 */
export class PanGrid {
  private last: PanCell | null = null;
  private nextStart: PanGains | null = null;

  constructor(private readonly voice: Voice) {}

  /** The cell holding output frame `frame`. */
  cellAt(frame: number): PanCell {
    const cellStart = Math.floor(frame / PAN_GRID_FRAMES) * PAN_GRID_FRAMES;
    if (this.last?.cellStart === cellStart) return this.last;

    const start = this.last && this.last.cellStart + PAN_GRID_FRAMES === cellStart && this.nextStart ? this.nextStart : this.gainsAt(cellStart);
    const end = this.gainsAt(cellStart + PAN_GRID_FRAMES);
    this.nextStart = end;
    this.last = {
      cellStart,
      ...start,
      leftFromLeftSlope: (end.leftFromLeft - start.leftFromLeft) / PAN_GRID_FRAMES,
      leftFromRightSlope: (end.leftFromRight - start.leftFromRight) / PAN_GRID_FRAMES,
      rightFromLeftSlope: (end.rightFromLeft - start.rightFromLeft) / PAN_GRID_FRAMES,
      rightFromRightSlope: (end.rightFromRight - start.rightFromRight) / PAN_GRID_FRAMES,
    };
    return this.last;
  }

  private gainsAt(frame: number): PanGains {
    return panGains(panAt(this.voice, frame));
  }
}
