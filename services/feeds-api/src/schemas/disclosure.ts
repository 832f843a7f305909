// What a figure-bearing response says about disclosure control (@pulse/disclosure): its level and,
// when controlled, which values it suppressed. Optional so that the exact form stays valid as is.
import { DISCLOSURE_LEVELS, SUPPRESSION_REASONS } from '@pulse/disclosure';
import { Type } from 'typebox';
import { component } from './components.js';

export const SuppressionSchema = Type.Object(
  {
    path: Type.String({
      description: 'JSON pointer (RFC 6901) to the null value within this response.',
      examples: ['/today/counters/ed_attendances/child'],
    }),
    reason: Type.Enum([...SUPPRESSION_REASONS], {
      description:
        'suppressed: a count of 1 to 7, or one hidden so that such a count cannot be worked out ' +
        'by differencing (which of the two is not said: that would give values away); derived: ' +
        'a share, rate or duration whose base count is suppressed.',
      examples: ['suppressed'],
    }),
  },
  {
    description: 'One suppressed value.',
    examples: [{ path: '/today/counters/ed_attendances/child', reason: 'suppressed' }],
  },
);
component('Suppression', SuppressionSchema);

/** The properties every figure-bearing response schema spreads in. */
export const disclosureProperties = {
  disclosure: Type.Optional(
    Type.Enum([...DISCLOSURE_LEVELS], {
      description:
        'exact: figures as counted; controlled: below national level, NHS Digital disclosure ' +
        'control (HES/ECDS method): counts of 1 to 7 and values that would reveal them are null, ' +
        'other counts rounded to the nearest 5, rates computed from the rounded counts ' +
        '(docs/disclosure.md).',
      examples: ['controlled'],
    }),
  ),
  suppressed: Type.Optional(
    Type.Array(SuppressionSchema, {
      description: 'Every null value that disclosure control suppressed, in response order.',
    }),
  ),
};
