import { z } from 'zod';
import type { SkyEvent, SkyEventName, SkyEvents } from '../bus/events.js';
import { isSkyEventName } from '../bus/event-names.js';
import { payloadSchema } from './event-schemas.js';

/**
 * The MQTT form of a bus event: `{ origin, name, payload }` as JSON (UTF-8) on the topic
 * `<prefix>/events/<name>`. `origin` names the machine that published it, so no bridge
 * takes back what it sent.
 */
export interface BridgedMessage<Name extends SkyEventName = SkyEventName> {
  origin: string;
  name: Name;
  payload: SkyEvents[Name];
}

/** What became of one incoming message. `reason` says what was wrong, in words, holding no payload. */
export type IncomingResult =
  | { kind: 'accepted'; origin: string; event: SkyEvent }
  | { kind: 'own' }
  | { kind: 'rejected'; reason: string };

export function eventTopic(prefix: string, name: string): string {
  return `${prefix}/events/${name}`;
}

export function encodeBridgedMessage<Name extends SkyEventName>(origin: string, name: Name, payload: SkyEvents[Name]): string {
  const message: BridgedMessage<Name> = { origin, name, payload };
  return JSON.stringify(message);
}

const envelope = z.object({
  origin: z.string().min(1).max(200),
  name: z.string().max(200),
  payload: z.unknown(),
});

/**
 * Checks one message from the broker: its size (at most `maxBytes`), its topic (a known
 * event under `<prefix>/events/`), JSON, the envelope, that the envelope's name is the
 * topic's, and the payload against the event's schema. Never throws.
 */
export function parseIncoming(
  topic: string,
  bytes: Buffer,
  options: { prefix: string; ownOrigin: string; maxBytes: number },
): IncomingResult {
  if (bytes.length > options.maxBytes) {
    return rejected(`message of ${bytes.length} bytes is over the limit of ${options.maxBytes} bytes`);
  }

  const topicStart = eventTopic(options.prefix, '');
  const topicName = topic.startsWith(topicStart) ? topic.slice(topicStart.length) : null;
  if (topicName === null) return rejected(`topic is not under ${topicStart}`);
  if (!isSkyEventName(topicName)) return rejected(`unknown event name ${JSON.stringify(shorten(topicName))}`);

  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    return rejected(`not JSON (${(error as Error).message})`);
  }

  const message = envelope.safeParse(json);
  if (!message.success) return rejected(describeIssues(message.error, []));
  if (message.data.origin === options.ownOrigin) return { kind: 'own' };
  if (message.data.name !== topicName) {
    return rejected(`name ${JSON.stringify(shorten(message.data.name))} differs from the topic's ${topicName}`);
  }

  const payload = payloadSchema(topicName).safeParse(message.data.payload);
  if (!payload.success) return rejected(describeIssues(payload.error, ['payload']));
  const event = { name: topicName, payload: payload.data } as SkyEvent;
  return { kind: 'accepted', origin: message.data.origin, event };
}

function rejected(reason: string): IncomingResult {
  return { kind: 'rejected', reason };
}

/** The first few problems, each as `path: message`. */
function describeIssues(error: z.ZodError, prefix: string[]): string {
  const shown = error.issues.slice(0, 3).map((issue) => {
    const path = [...prefix, ...issue.path.map(String)].join('.') || '(message)';
    return `${path}: ${issue.message}`;
  });
  const more = error.issues.length > 3 ? `; and ${error.issues.length - 3} more` : '';
  return shown.join('; ') + more;
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
