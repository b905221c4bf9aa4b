import { Counter, Gauge, type Registry } from 'prom-client';
import type { EventBus } from '../bus/bus.js';
import type { CameraStatus } from '../bus/events.js';
import { SKY_EVENT_NAMES } from '../bus/event-names.js';

const CAMERA_STATUSES: readonly CameraStatus[] = ['online', 'stalled', 'offline', 'night', 'obstructed', 'frozen'];
const SOURCE_STATUSES = ['online', 'degraded', 'offline'] as const;

/**
 * The metrics read off the bus: every event by name, rejected frames, and the latest status of
 * each camera and each source as a one-hot gauge (1 for the status it is in, 0 for the others),
 * which Prometheus can alert on. Events that came over MQTT count like local ones.
 */
export class BusMetrics {
  private readonly events: Counter<'name'>;
  private readonly framesRejected: Counter;
  private readonly cameraStatus: Gauge<'camera' | 'status'>;
  private readonly sourceStatus: Gauge<'source' | 'status'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.events = new Counter({ name: 'skychoir_events_total', help: 'Events on the bus, by name.', labelNames: ['name'], registers });
    this.framesRejected = new Counter({
      name: 'skychoir_frames_rejected_total',
      help: 'Camera frames that could not be analysed (frame.rejected on the bus).',
      registers,
    });
    this.cameraStatus = new Gauge({
      name: 'skychoir_camera_status',
      help: "1 for each camera's latest status, 0 for its other statuses.",
      labelNames: ['camera', 'status'],
      registers,
    });
    this.sourceStatus = new Gauge({
      name: 'skychoir_source_status',
      help: "1 for each source's latest status (weather, mqtt, ...), 0 for its other statuses.",
      labelNames: ['source', 'status'],
      registers,
    });
    for (const name of SKY_EVENT_NAMES) this.events.inc({ name }, 0);
  }

  /** Subscribes to every event of `bus`; returns a function that unsubscribes. */
  follow(bus: EventBus): () => void {
    const unsubscribers = SKY_EVENT_NAMES.map((name) => bus.on(name, 'metrics', () => this.events.inc({ name })));

    unsubscribers.push(
      bus.on('frame.rejected', 'metrics', () => this.framesRejected.inc()),
      bus.on('camera.status.changed', 'metrics', ({ camera, status }) => {
        for (const each of CAMERA_STATUSES) this.cameraStatus.set({ camera, status: each }, each === status ? 1 : 0);
      }),
      bus.on('source.status.changed', 'metrics', ({ source, status }) => {
        for (const each of SOURCE_STATUSES) this.sourceStatus.set({ source, status: each }, each === status ? 1 : 0);
      }),
    );

    return () => {
      for (const unsubscribe of unsubscribers) unsubscribe();
    };
  }
}
