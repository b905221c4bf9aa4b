/**
 * A loopback MJPEG camera whose sky gets a flock at a chosen instant: a real CCSN sky
 * (Cs-N239 enlarged three times, 672 px, as in the flock-scene test) with seeded sensor
 * noise, and, once `releaseFlock()` is called, real bird crops cut from other CCSN
 * photographs flying across it in formation. Frames go out on a fixed tick (`fps`), and the
 * wall-clock instant the first flock frame was written is kept.
 */
import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import type { RgbFrame } from '../src/vision/rgb-frame.js';
import { addNoise, copyFrame, cutBird, pasteBird } from '../tools/sky-scene.js';
import { ccsnPath } from '../test/vision/support.js';

const SCALE = 3;
/** Each bird's place in the formation (pixels from the leader) and which sprite it is. */
const FORMATION = [[0, 0, 0], [-20, 12, 1], [-34, -10, 2], [18, 16, 0], [-10, -24, 1]] as const;
/** The flock's motion, pixels of the 672 px frame per second (right and a little up). */
const VELOCITY = { x: 42, y: -12 };
/** Distinct noisy skies cycled while no flock flies (the motion detector sees only noise). */
const SKY_VARIANTS = 6;

export class FlockCamera {
  /** Wall-clock instant (epoch ms) the first flock frame was written, null before. */
  flockSentAt: number | null = null;
  private readonly responses = new Set<ServerResponse>();
  private server: Server | null = null;
  private timer: NodeJS.Timeout | null = null;
  private tick = 0;
  private flockTick: number | null = null;

  private constructor(private readonly skies: Buffer[], private readonly flock: Buffer[], private readonly fps: number) {}

  /** Draws the frames (JPEG, quality 90): noisy skies and the flock's `flockSeconds` of flight. */
  static async create(fps: number, flockSeconds: number): Promise<FlockCamera> {
    const sky = await enlargedSky('Cs/Cs-N239');
    const sprites = [
      await cutBird('Ac/Ac-N214', 0.2, 0.155),
      await cutBird('Cs/Cs-N248', 0.135, 0.625),
      await cutBird('Ci/Ci-N041', 0.115, 0.15),
    ];

    const skies = await Promise.all(Array.from({ length: SKY_VARIANTS }, (_, index) => jpeg(noisy(sky, 1000 + index))));
    const flock = await Promise.all(
      Array.from({ length: Math.round(flockSeconds * fps) }, (_, index) => {
        const frame = copyFrame(sky);
        const leader = { x: 150 + (VELOCITY.x * index) / fps, y: 360 + (VELOCITY.y * index) / fps };
        for (const [dx, dy, sprite] of FORMATION) pasteBird(frame, sprites[sprite]!, leader.x + dx, leader.y + dy);
        addNoise(frame, 2, 2000 + index);
        return jpeg(frame);
      }),
    );
    return new FlockCamera(skies, flock, fps);
  }

  /** Listens on loopback and starts the frame tick; returns the port. */
  async listen(): Promise<number> {
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'multipart/x-mixed-replace; boundary=skyframe', Connection: 'close' });
      response.flushHeaders();
      this.responses.add(response);
      response.on('close', () => this.responses.delete(response));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
    this.timer = setInterval(() => this.sendFrame(), 1000 / this.fps);
    return (server.address() as AddressInfo).port;
  }

  /** The flock enters with the next frame sent. */
  releaseFlock(): void {
    this.flockTick = this.tick;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (const response of this.responses) response.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  private sendFrame(): void {
    const flockIndex = this.flockTick === null ? -1 : this.tick - this.flockTick;
    const inFlock = flockIndex >= 0 && flockIndex < this.flock.length;
    const frame = inFlock ? this.flock[flockIndex]! : this.skies[this.tick % this.skies.length]!;
    this.tick += 1;

    for (const response of this.responses) {
      response.write(`--skyframe\r\nContent-Type: image/jpeg\r\nContent-Length: ${frame.length}\r\n\r\n`);
      response.write(frame);
      response.write('\r\n');
    }
    if (inFlock && this.flockSentAt === null && this.responses.size > 0) this.flockSentAt = Date.now();
  }
}

async function enlargedSky(photo: string): Promise<RgbFrame> {
  const { data, info } = await sharp(ccsnPath(photo)).resize(224 * SCALE, 224 * SCALE).removeAlpha().raw()
    .toBuffer({ resolveWithObject: true });
  return { rgb: new Uint8Array(data), width: info.width, height: info.height };
}

function noisy(frame: RgbFrame, seed: number): RgbFrame {
  const copy = copyFrame(frame);
  addNoise(copy, 2, seed);
  return copy;
}

function jpeg(frame: RgbFrame): Promise<Buffer> {
  return sharp(Buffer.from(frame.rgb), { raw: { width: frame.width, height: frame.height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
}
