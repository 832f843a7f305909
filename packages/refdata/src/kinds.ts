// What kind of provider a trust is, and which figure families each kind is expected to report:
// the denominators of completeness. Data in data/trust-kinds.csv (how each was decided: its basis).

/**
 * - acute: an acute trust running a type 1 (major, consultant-led, 24-hour) A&E department;
 * - specialist: an acute trust without a type 1 department (cancer, heart, orthopaedic, eye,
 *   women's, a children's hospital without an emergency department); some run a type 2 or 3 one;
 * - community, mental-health, mental-health-community: community health services, mental health
 *   (and learning disability), and trusts that combine both; some run minor injury or urgent
 *   treatment (type 3) units;
 * - ambulance: an ambulance service (handovers are recorded by the receiving hospital);
 * - other: none of the above (NHS Direct, Nightingale, the online trust).
 */
export const TRUST_KINDS = [
  'acute',
  'specialist',
  'community',
  'mental-health',
  'mental-health-community',
  'ambulance',
  'other',
] as const;
export type TrustKind = (typeof TRUST_KINDS)[number];

/** A&E department types: 1 major emergency, 2 single specialty, 3 other (UTC, MIU, walk-in). */
export type AeDepartmentType = 1 | 2 | 3;

/**
 * Families of figures that trusts report together:
 * - ae: A&E attendances, departures, 4 and 12 hours, patients in the department;
 * - ambulance-handovers: handovers and the time they take;
 * - inpatient: admissions, discharges and the criteria to reside;
 * - beds: general and acute beds open and occupied;
 * - rtt: referral-to-treatment clock starts, stops and waits.
 */
export const FIGURE_FAMILIES = ['ae', 'ambulance-handovers', 'inpatient', 'beds', 'rtt'] as const;
export type FigureFamily = (typeof FIGURE_FAMILIES)[number];

const ACUTE: readonly TrustKind[] = Object.freeze(['acute']);
const HOSPITALS: readonly TrustKind[] = Object.freeze(['acute', 'specialist']);

/** The kinds of trust every one of which is expected to report the family. */
const REPORTING_KINDS: Readonly<Record<FigureFamily, readonly TrustKind[]>> = {
  ae: ACUTE,
  'ambulance-handovers': ACUTE,
  inpatient: HOSPITALS,
  beds: HOSPITALS,
  rtt: HOSPITALS,
};

/**
 * The kinds of trust expected to report a family of figures (all trusts of those kinds). For A&E
 * a trust of another kind is expected too when it runs a type 2 or 3 department: see
 * expectedToReport, which answers per trust.
 */
export function kindsReporting(family: FigureFamily): readonly TrustKind[] {
  return REPORTING_KINDS[family];
}

/** What expectedToReport needs of a trust. */
export interface KindFacts {
  readonly kind: TrustKind;
  readonly aeTypes: readonly AeDepartmentType[];
}

/**
 * Whether a trust is expected to report a family: its kind is among kindsReporting(family), or,
 * for A&E, it runs an A&E department of any type (aeTypes). Ambulance handovers are expected from
 * trusts with a type 1 department, which are exactly the acute ones.
 */
export function expectedToReport(trust: KindFacts, family: FigureFamily): boolean {
  if (family === 'ae') return trust.aeTypes.length > 0;
  return REPORTING_KINDS[family].includes(trust.kind);
}
