// The JSON form of an event, for HTTP: the same field names, instants as ISO 8601 UTC strings
// (2026-11-22T09:30:00.000Z). fromJson accepts exactly that form, drops fields the contract does
// not know (as Avro resolution does) and applies the same field rules as the codec.
import { shapeOf } from './describe.js';
import { ContractError, type FieldIssue } from './errors.js';
import {
  EVENT_TYPES,
  type ActivityEvent,
  type EventOf,
  type EventType,
  type PayloadOf,
} from './events.js';
import { ENVELOPE_FIELDS, PAYLOAD_FIELDS, type FieldEntry } from './rules.js';
import { validateEvent } from './validate.js';

type InstantKey =
  'occurredAt' | 'emittedAt' | 'arrivedAt' | 'decisionToAdmitAt' | 'admittedAt' | 'clockStartAt';

type Jsonify<T> = {
  [K in keyof T]: K extends InstantKey ? (null extends T[K] ? string | null : string) : T[K];
};

/** An event in its JSON form: instants are ISO 8601 UTC strings. */
export type ActivityEventJson = {
  [T in EventType]: Jsonify<Omit<EventOf<T>, 'payload'>> & { payload: Jsonify<PayloadOf<T>> };
}[EventType];

/** UTC only, seconds required, up to millisecond precision. */
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?Z$/;

/** Epoch ms of a strict ISO 8601 UTC instant, or undefined. */
export function parseInstant(text: string): number | undefined {
  const m = ISO_INSTANT.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millis = Number((m[7] ?? '').padEnd(3, '0'));
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const d = new Date(ms);
  // Date.UTC rolls 30 February over into March; a real date survives the round trip.
  const exact =
    d.getUTCFullYear() === year &&
    d.getUTCMonth() === month - 1 &&
    d.getUTCDate() === day &&
    d.getUTCHours() === hour &&
    d.getUTCMinutes() === minute &&
    d.getUTCSeconds() === second;
  return exact ? ms : undefined;
}

function convert(
  source: Record<string, unknown>,
  fields: readonly FieldEntry[],
  toInstant: boolean,
  issues: FieldIssue[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, path, rule } of fields) {
    const value = source[key];
    if (!rule.instant || value === null || value === undefined) {
      out[key] = value;
    } else if (!toInstant) {
      out[key] = typeof value === 'number' ? new Date(value).toISOString() : value;
    } else {
      const ms = typeof value === 'string' ? parseInstant(value) : undefined;
      if (ms === undefined) {
        const detail = `must be an ISO 8601 UTC instant such as 2026-11-22T09:30:00.000Z, got ${shapeOf(value)}`;
        issues.push({ code: 'INVALID_FIELD', path, detail });
      }
      out[key] = ms ?? value;
    }
  }
  return out;
}

/** The JSON form of a valid event (JSON.stringify it to send). */
export function toJson(event: ActivityEvent): ActivityEventJson {
  const json = convert(event as unknown as Record<string, unknown>, ENVELOPE_FIELDS, false, []);
  json['payload'] = convert(
    event.payload as unknown as Record<string, unknown>,
    PAYLOAD_FIELDS[event.eventType],
    false,
    [],
  );
  return json as unknown as ActivityEventJson;
}

/** The event in a parsed JSON body; throws ContractError with the path of each bad field. */
export function fromJson(json: unknown): ActivityEvent {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ContractError('INVALID_FIELD', 'an event must be a JSON object', { path: '' });
  }
  const source = json as Record<string, unknown>;
  const issues: FieldIssue[] = [];
  const event = convert(source, ENVELOPE_FIELDS, true, issues);
  const type = source['eventType'];
  const payload = source['payload'];
  const typed = typeof type === 'string' && (EVENT_TYPES as readonly string[]).includes(type);
  event['payload'] =
    typed && typeof payload === 'object' && payload !== null && !Array.isArray(payload)
      ? convert(payload as Record<string, unknown>, PAYLOAD_FIELDS[type as EventType], true, issues)
      : payload;
  if (issues.length > 0) throw ContractError.fromIssues(issues);
  validateEvent(event);
  return event;
}
