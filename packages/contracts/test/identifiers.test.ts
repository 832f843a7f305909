import { createHmac, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createCodec,
  EVENT_TYPES,
  EXAMPLE_EVENTS,
  findIssues,
  fromJson,
  isContractError,
  toJson,
} from '../src/index.js';
import { firstIssue, variant } from './support/variant.js';
import { ENVELOPE_FIELDS, PAYLOAD_FIELDS } from '../src/rules.js';

const hmacHex = createHmac('sha256', 'trust key').update('9434765919').digest('hex');
const hmacBase64url = createHmac('sha256', 'trust key').update('9434765919').digest('base64url');

/** Ways an identifier reaches a free-text field; each must be refused wherever it is sent. */
const IDENTIFIERS: [string, string][] = [
  ['an NHS number', '9434765919'],
  ['a spaced NHS number', '943 476 5919'],
  ['a dotted NHS number', '943.476.5919'],
  ['a prefixed NHS number', 'NHS9434765919'],
  ['full-width digits', '９４３４７６５９１９'],
  ['a name', 'John Smith'],
  ['a name and an NHS number', 'John Smith 9434765919'],
  ['a postcode', 'LS1 4AP'],
  ['a date of birth', '1970-01-01'],
  ['an NHS number padded to 43 characters with spaces', `9434765919${' '.repeat(33)}`],
  ['an NHS number padded to 64 characters with dots', `9434765919${'.'.repeat(54)}`],
];

describe('subjectRef allowlist', () => {
  it.each([
    ['HMAC-SHA-256 as hex', hmacHex],
    ['HMAC-SHA-256 as base64url', hmacBase64url],
    ['a hex pseudonym that starts with ten digits', `9434765919${hmacHex.slice(10)}`],
  ])('validateEvent should accept a keyed pseudonym: %s', (_what, ref) => {
    expect(findIssues(variant('ADMISSION', { subjectRef: ref }))).toEqual([]);
  });

  it.each([
    ...IDENTIFIERS,
    ['an empty string', ''],
    ['the old simulator pseudonym', 'psn-0123456789abcdef01234567'],
    ['uppercase hex', hmacHex.toUpperCase()],
    ['hex one digit short', hmacHex.slice(1)],
    ['base64url with padding', `${hmacBase64url}=`],
  ])(
    'validateEvent should refuse %s as subjectRef with IDENTIFIER_IN_SUBJECT_REF, by shape only',
    (_what, ref) => {
      const [issue, ...rest] = findIssues(variant('ADMISSION', { subjectRef: ref }));
      expect(rest).toEqual([]);
      expect(issue).toMatchObject({ code: 'IDENTIFIER_IN_SUBJECT_REF', path: 'subjectRef' });
      expect(issue!.detail).toContain(`got a string of ${ref.length} character`);
      if (ref.length > 0) expect(issue!.detail).not.toContain(ref.trim());
    },
  );

  it('validateEvent should refuse a subjectRef that is not a string as INVALID_FIELD', () => {
    expect(firstIssue(variant('ADMISSION', { subjectRef: 9434765919 }))).toEqual([
      'INVALID_FIELD',
      'subjectRef',
    ]);
    expect(findIssues(variant('ADMISSION', { subjectRef: 9434765919 }))[0]!.detail).toMatch(
      /got an integer$/,
    );
  });
});

describe('id allowlist', () => {
  const ID_FIELDS = [
    ['ED_ARRIVAL', 'attendanceId'],
    ['ED_DEPARTURE', 'attendanceId'],
    ['ADMISSION', 'spellId'],
    ['CRITERIA_TO_RESIDE_CHANGED', 'spellId'],
    ['DISCHARGE', 'spellId'],
    ['RTT_CLOCK_START', 'pathwayId'],
    ['RTT_CLOCK_STOP', 'pathwayId'],
  ] as const;

  it.each(ID_FIELDS)('%s.%s should accept opaque tokens of 16 to 64 characters', (type, field) => {
    for (const id of [
      randomUUID(),
      `att-${randomUUID()}`,
      hmacHex,
      hmacBase64url,
      'RGT-RTT-0000001A',
    ]) {
      expect(findIssues(variant(type, {}, { [field]: id })), id).toEqual([]);
    }
  });

  it.each(ID_FIELDS)(
    '%s.%s should refuse identifiers, free text and wrong lengths',
    (type, field) => {
      const refused = [
        ...IDENTIFIERS.map(([, v]) => v),
        'x'.repeat(15),
        'x'.repeat(65),
        'ED_2026 00012345',
      ];
      for (const id of refused) {
        const issues = findIssues(variant(type, {}, { [field]: id }));
        expect(
          issues.map((i) => [i.code, i.path]),
          id,
        ).toEqual([['INVALID_FIELD', `payload.${field}`]]);
        expect(issues[0]!.detail).toBe(
          `must be an opaque id of 16 to 64 characters from A-Z a-z 0-9 - _, got a string of ${id.length} characters`,
        );
      }
    },
  );

  it('eventId should stay a lowercase UUID', () => {
    expect(firstIssue(variant('ADMISSION', { eventId: hmacHex.slice(0, 36) }))).toEqual([
      'INVALID_FIELD',
      'eventId',
    ]);
  });
});

describe('details never quote a rejected value', () => {
  // Regression: details said `got "9434765919"`, and went into the DLQ header and logs.
  const MARKERS: unknown[] = [
    'John Smith 9434765919',
    '9434765919',
    9434765919,
    -9434765919,
    94347.65919,
    ['9434765919'],
    { nhsNumber: '9434765919' },
  ];
  const leaks = (text: string) => /9434765919|943476|John|Smith|nhsNumber/.test(text);

  it.each(EVENT_TYPES)(
    'every field of %s should describe a bad value by its shape only',
    (type) => {
      const fields = [...ENVELOPE_FIELDS, ...PAYLOAD_FIELDS[type]];
      let checked = 0;
      for (const { path } of fields) {
        for (const marker of MARKERS) {
          const [where, key] = path.startsWith('payload.')
            ? ['payload', path.slice(8)]
            : ['envelope', path];
          const event =
            where === 'payload'
              ? variant(type, {}, { [key]: marker })
              : variant(type, { [key]: marker });
          for (const issue of findIssues(event)) {
            expect(
              leaks(issue.detail),
              `${path} = ${JSON.stringify(marker)}: ${issue.detail}`,
            ).toBe(false);
            checked++;
          }
        }
      }
      expect(checked).toBeGreaterThan(fields.length);
    },
  );

  it('fromJson should describe a bad instant by its shape only', () => {
    const json = { ...toJson(EXAMPLE_EVENTS.DISCHARGE), occurredAt: '9434765919' };
    try {
      fromJson(json);
    } catch (err) {
      expect(isContractError(err) && err.issues.some((i) => leaks(i.detail))).toBe(false);
      expect(isContractError(err) && err.message).toMatch(/got a string of 10 characters/);
      return;
    }
    throw new Error('expected fromJson to throw');
  });

  it('decode should not quote the bytes of a record it cannot read', () => {
    const codec = createCodec();
    const unchecked = createCodec({ validate: false });
    const json = Buffer.from('{"subjectRef":"9434765919","name":"John Smith"}');
    const good = unchecked.encode(EXAMPLE_EVENTS.ED_ARRIVAL);
    const bodies = [
      json,
      Buffer.from('9434765919'),
      Buffer.concat([good.subarray(0, 10), Buffer.from([0x14]), Buffer.from('9434765919')]),
      Buffer.concat([good, Buffer.from('9434765919')]),
    ];
    for (const bytes of bodies) {
      try {
        codec.decode(bytes);
      } catch (err) {
        expect(isContractError(err) && leaks(err.message), String(err)).toBe(false);
        continue;
      }
      throw new Error('expected decode to throw');
    }
  });
});
