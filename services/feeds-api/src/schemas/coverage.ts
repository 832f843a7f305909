// Coverage and completeness: how many providers a figure is made of, out of those expected.
import { FIGURE_FAMILIES } from '@pulse/kpi';
import { Type, type Static } from 'typebox';
import { component } from './components.js';

export const FAMILY_DESCRIPTIONS = {
  ae: 'A&E: attendances, departures, 4 and 12 hours, patients in the department. Expected from every trust running an A&E department of any type.',
  'ambulance-handovers':
    'Ambulance handovers and the time they take. Expected from trusts with a type 1 A&E (acute trusts).',
  inpatient:
    'Admissions, discharges and the criteria to reside. Expected from acute and specialist trusts.',
  beds: 'General & acute beds open and occupied. Expected from acute and specialist trusts.',
  rtt: 'Referral-to-treatment clock starts, stops and waits. Expected from acute and specialist trusts.',
} as const satisfies Record<(typeof FIGURE_FAMILIES)[number], string>;

/**
 * Why coverage and completeness are null on the public tier below national level: which providers
 * reported, beside England's exact figure, tells whose count a figure is (docs/disclosure.md).
 */
export const CONTROLLED_NULL =
  'Null on the public tier below national level (`disclosure: controlled`): which providers reported, beside England’s exact figure, would tell whose count a figure is.';

export const CoverageSchema = Type.Object(
  {
    reported: Type.Integer({
      description: 'Providers that reported (sent at least one event of the family).',
      examples: [131],
    }),
    expected: Type.Integer({
      description:
        'Providers in scope expected to report the family on the date (by their kind: GET /v1/organisations/trusts).',
      examples: [139],
    }),
  },
  {
    description: 'Providers reported, out of those expected.',
    examples: [{ reported: 131, expected: 139 }],
  },
);
component('Coverage', CoverageSchema);
export type CoverageSchema = Static<typeof CoverageSchema>;

export const FamilyCompletenessSchema = Type.Object(
  Object.fromEntries(
    FIGURE_FAMILIES.map((family) => [
      family,
      { ...CoverageSchema, description: FAMILY_DESCRIPTIONS[family] },
    ]),
  ) as unknown as Record<(typeof FIGURE_FAMILIES)[number], typeof CoverageSchema>,
  {
    description: 'Completeness per figure family.',
    examples: [
      Object.fromEntries(FIGURE_FAMILIES.map((family) => [family, { reported: 1, expected: 1 }])),
    ],
  },
);
component('FamilyCompleteness', FamilyCompletenessSchema);
