// What each trust publishes and how big it is. What a trust is comes from @pulse/refdata (its
// kind, A&E department types, children's flag) and what it publishes follows refdata's own
// expectedToReport, so the simulator sends exactly the figure families completeness expects.
// Sizes are drawn from the seed and shared out so England's totals hold whatever subset runs.
import {
  expectedToReport,
  type AeDepartmentType,
  type FigureFamily,
  type Trust,
  type TrustKind,
} from '@pulse/refdata';
import { OCCUPANCY_TARGET } from './assumptions.js';
import { createRng } from './rng.js';

/** Relative size of an acute trust's streams before the seeded spread. */
const ACUTE_WEIGHT = { ed: 1, inpatient: 1, rtt: 1 } as const;
/** A children's hospital sees fewer patients than a general acute trust. */
const CHILDREN_WEIGHT = { ed: 0.35, inpatient: 0.3, rtt: 0.3 } as const;
/**
 * Other kinds, where they report a family at all: specialist trusts' electives and waiting lists,
 * and the single type 2 or 3 department (eye, women's, minor injuries, urgent treatment) some
 * non-acute trusts run, about a third of an acute trust's A&E in the May 2025 A&E return.
 */
const OTHER_WEIGHT = { ed: 0.3, inpatient: 0.2, rtt: 0.35 } as const;

export interface TrustProfile {
  readonly ods: string;
  readonly name: string;
  readonly kind: TrustKind;
  /** A children's hospital: its A&E sees only 0-17s. */
  readonly children: boolean;
  /** Shares of England's volumes (sum to 1 over all trusts open on the date). */
  readonly edShare: number;
  /** Share of England's A&E among the trusts that also admit emergencies directly (acute). */
  readonly emergencyShare: number;
  readonly inpatientShare: number;
  readonly rttShare: number;
  /** A&E department types it runs (refdata), drawn in DEPARTMENT_TYPE_MIX proportions. */
  readonly edTypes: readonly AeDepartmentType[];
  /** Whether it admits patients (inpatient figures); an A&E unit elsewhere transfers them. */
  readonly admits: boolean;
  /** Whether ambulance handovers are recorded here (trusts with a type 1 department). */
  readonly handovers: boolean;
  /** Target occupancy per bed type, drawn per trust. */
  readonly occupancy: { GENERAL_ACUTE: number; CRITICAL_CARE: number; OTHER: number };
}

/** Whether a profile publishes anything at all. */
export const publishes = (p: TrustProfile): boolean =>
  p.edShare > 0 || p.inpatientShare > 0 || p.rttShare > 0;

/**
 * Profiles of every trust open on the date, keyed by ODS code. Sizes are drawn per trust from
 * `${seed}/size/${ods}` (log-normal, sigma 0.45) so a trust's size does not depend on which
 * others are simulated; shares are normalised over all of `openTrusts`.
 */
export function buildProfiles(
  seed: string,
  openTrusts: readonly Trust[],
): Map<string, TrustProfile> {
  const drafts = openTrusts.map((trust) => {
    const rng = createRng(`${seed}/size/${trust.odsCode}`);
    const size = Math.exp(0.45 * rng.normal());
    const w = trust.children
      ? CHILDREN_WEIGHT
      : trust.kind === 'acute'
        ? ACUTE_WEIGHT
        : OTHER_WEIGHT;
    const weight = (family: FigureFamily, value: number) =>
      expectedToReport(trust, family) ? value * size : 0;
    return {
      trust,
      ed: weight('ae', w.ed),
      inpatient: weight('inpatient', w.inpatient),
      rtt: weight('rtt', w.rtt),
      handovers: expectedToReport(trust, 'ambulance-handovers'),
      occupancy: {
        GENERAL_ACUTE: rng.uniform(...OCCUPANCY_TARGET.GENERAL_ACUTE),
        CRITICAL_CARE: rng.uniform(...OCCUPANCY_TARGET.CRITICAL_CARE),
        OTHER: rng.uniform(...OCCUPANCY_TARGET.OTHER),
      },
    };
  });
  const total = (pick: (d: (typeof drafts)[number]) => number) =>
    drafts.reduce((sum, d) => sum + pick(d), 0) || 1;
  const ed = total((d) => d.ed);
  const emergency = total((d) => (d.handovers ? d.ed : 0));
  const inpatient = total((d) => d.inpatient);
  const rtt = total((d) => d.rtt);
  return new Map(
    drafts.map((d) => [
      d.trust.odsCode,
      {
        ods: d.trust.odsCode,
        name: d.trust.name,
        kind: d.trust.kind,
        children: d.trust.children,
        edShare: d.ed / ed,
        emergencyShare: d.handovers ? d.ed / emergency : 0,
        inpatientShare: d.inpatient / inpatient,
        rttShare: d.rtt / rtt,
        edTypes: d.trust.aeTypes,
        admits: d.inpatient > 0,
        handovers: d.handovers,
        occupancy: d.occupancy,
      },
    ]),
  );
}
