// Content negotiation of the figure routes: JSON (the default) or tidy CSV (src/csv.ts), chosen by
// the `format` query parameter or else the Accept header (@fastify/accepts, the `accepts`
// negotiator: q-values and wildcards). The route builds the same body either way, so disclosure
// control applies to both; CSV is only another serializer of it, with a file name to save it as.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { CSV_COLUMNS, toCsv, type CsvRow } from './csv.js';

export const FORMATS = ['json', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

const MEDIA_TYPES: Record<Format, string> = { json: 'application/json', csv: 'text/csv' };

export const FormatQuery = Type.Enum([...FORMATS], {
  description:
    'Response format: json or csv (text/csv, one row per organisation × metric × bucket). ' +
    'Without it the Accept header chooses (text/csv or application/json); default json.',
  examples: ['csv'],
});

/** The format a request asks for: `format=` wins, then Accept; JSON when neither says CSV. */
export function formatOf(request: FastifyRequest, query: Format | undefined): Format {
  if (query !== undefined) return query;
  const chosen = request.accepts().type([MEDIA_TYPES.json, MEDIA_TYPES.csv]);
  return chosen === MEDIA_TYPES.csv ? 'csv' : 'json';
}

/** A file name from parts: instants compacted (20260401T0900Z), anything but [A-Za-z0-9_-] made a hyphen. */
export function csvFileName(...parts: readonly (string | undefined)[]): string {
  const clean = parts
    .filter((part): part is string => part !== undefined && part !== '')
    .map((part) =>
      part
        .replace(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}).*Z$/, '$1$2$3T$4$5Z')
        .replace(/[^A-Za-z0-9_-]+/g, '-'),
    );
  return `${clean.join('_')}.csv`;
}

/**
 * Answers in the negotiated format: the body stays the route's object (hooks such as disclosure
 * control see it as JSON), and for CSV it is serialized to rows with a Content-Disposition file
 * name. Either way the response varies on Accept.
 */
export function negotiate<B>(
  reply: FastifyReply,
  format: Format,
  fileName: string,
  rows: (body: B) => CsvRow[],
): void {
  reply.header('vary', 'Accept');
  if (format === 'json') return;
  reply
    .type(`${MEDIA_TYPES.csv}; charset=utf-8; header=present`)
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .serializer((body: unknown) => toCsv(rows(body as B)));
}

/** The OpenAPI 200 of a route answering JSON or CSV: both media types, the CSV columns named. */
export function jsonOrCsv(schema: TSchema, description: string) {
  return {
    description,
    content: {
      [MEDIA_TYPES.json]: { schema },
      [MEDIA_TYPES.csv]: {
        schema: {
          type: 'string',
          description:
            `RFC 4180 CSV with a header row: ${CSV_COLUMNS.join(', ')}. One row per ` +
            'organisation × metric × bucket (for a snapshot: × period live, today or last_hour); ' +
            'an empty cell is null (not known, or suppressed by disclosure control); unit says ' +
            'what the values count or measure; disclosure is exact or controlled.',
          examples: [
            `${CSV_COLUMNS.join(',')}\r\n` +
              'trust,RXN,LANCASHIRE TEACHING HOSPITALS NHS FOUNDATION TRUST,ed_attendances,count,1h,' +
              '2026-04-01T09:00:00.000Z,2026-04-01T10:00:00.000Z,false,4,21,0,25,1,1,exact\r\n',
          ],
        },
      },
    },
  };
}

/** Sends JSON text as it is: Fastify's serializer does not run on a string of a JSON type. */
export function sendJsonText(reply: FastifyReply, json: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(json);
}
