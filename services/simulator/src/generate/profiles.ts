// What each trust publishes and how big it is. Reference data has no trust type, so the type is
// guessed from the name (first matching rule wins); sizes are drawn from the seed and shared out
// so England's totals hold whatever subset is simulated.
import type { Trust } from '@pulse/refdata';
import { OCCUPANCY_TARGET } from './assumptions.js';
import { createRng } from './rng.js';

/**
 * - acute: A&E, admissions, discharges, beds, RTT;
 * - children: an acute children's hospital (all patients 0-17);
 * - specialist: no type 1 A&E (orthopaedic, cancer, heart, eye...): electives, beds, RTT;
 * - community: RTT only, small;
 * - silent: publishes nothing (ambulance services record no handovers: hospitals do; mental
 *   health and learning disability trusts have no A&E, G&A beds or consultant-led RTT here).
 */
export type TrustKind = 'acute' | 'children' | 'specialist' | 'community' | 'silent';

const RULES: readonly (readonly [TrustKind, RegExp])[] = [
  ['silent', /AMBULANCE|NHS DIRECT|NIGHTINGALE|ONLINE NHS/],
  [
    'silent',
    /MENTAL HEALTH|PARTNERSHIP|LEARNING DISABILIT|TAVISTOCK|MAUDSLEY|COMBINED HEALTHCARE|OXLEAS|MERSEY CARE|PENNINE CARE|^EAST LONDON|^WEST LONDON|^CENTRAL AND NORTH WEST LONDON|^NORTH EAST LONDON|^OXFORD HEALTH|^BERKSHIRE HEALTHCARE|^NOTTINGHAMSHIRE HEALTHCARE|^DERBYSHIRE HEALTHCARE|^DORSET HEALTHCARE|^HUMBER TEACHING|^TEES, ESK|^TEES AND NORTH EAST YORKSHIRE|^CUMBRIA, NORTHUMBERLAND|^NORTHAMPTONSHIRE HEALTHCARE|^HAMPSHIRE AND ISLE OF WIGHT HEALTHCARE|^NORTH WEST BOROUGHS|^LANCASHIRE & SOUTH CUMBRIA|^CAMBRIDGESHIRE AND PETERBOROUGH|^NORFOLK AND SUFFOLK|^ROTHERHAM DONCASTER AND SOUTH HUMBER|^AVON AND WILTSHIRE|^NORTH LONDON NHS/,
  ],
  ['community', /COMMUNITY|CARE SERVICES|HEALTH AND CARE|^SOLENT/],
  [
    'specialist',
    /ORTHOPAEDIC|CANCER|CHRISTIE|MARSDEN|HEART AND CHEST|PAPWORTH|BROMPTON|WALTON CENTRE|RHEUMATIC|GREAT ORMOND|^LIVERPOOL WOMEN|^BIRMINGHAM WOMEN'S NHS|MOORFIELDS|QUEEN VICTORIA HOSPITAL/,
  ],
  ['children', /CHILDREN/],
];

export function classifyTrust(name: string): TrustKind {
  const upper = name.toUpperCase();
  for (const [kind, pattern] of RULES) if (pattern.test(upper)) return kind;
  return 'acute';
}

/** Relative size of each kind's activity streams (acute = 1 before the seeded spread). */
const KIND_WEIGHTS: Record<TrustKind, { ed: number; inpatient: number; rtt: number }> = {
  acute: { ed: 1, inpatient: 1, rtt: 1 },
  children: { ed: 0.35, inpatient: 0.3, rtt: 0.3 },
  specialist: { ed: 0, inpatient: 0.2, rtt: 0.35 },
  community: { ed: 0, inpatient: 0, rtt: 0.04 },
  silent: { ed: 0, inpatient: 0, rtt: 0 },
};

export interface TrustProfile {
  readonly ods: string;
  readonly name: string;
  readonly kind: TrustKind;
  /** Shares of England's volumes (sum to 1 over all trusts open on the date). */
  readonly edShare: number;
  readonly inpatientShare: number;
  readonly rttShare: number;
  /** Moorfields-like specialist trusts run a type 2 (single-specialty) department only. */
  readonly edTypes: 'all' | 'type2';
  /** Target occupancy per bed type, drawn per trust. */
  readonly occupancy: { GENERAL_ACUTE: number; CRITICAL_CARE: number; OTHER: number };
}

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
    const kind = classifyTrust(trust.name);
    const rng = createRng(`${seed}/size/${trust.odsCode}`);
    const size = Math.exp(0.45 * rng.normal());
    const w = KIND_WEIGHTS[kind];
    const eye = /MOORFIELDS|EYE/.test(trust.name.toUpperCase());
    return {
      trust,
      kind,
      ed: (eye ? 0.3 : w.ed) * size,
      inpatient: w.inpatient * size,
      rtt: w.rtt * size,
      eye,
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
  const inpatient = total((d) => d.inpatient);
  const rtt = total((d) => d.rtt);
  return new Map(
    drafts.map((d) => [
      d.trust.odsCode,
      {
        ods: d.trust.odsCode,
        name: d.trust.name,
        kind: d.kind,
        edShare: d.ed / ed,
        inpatientShare: d.inpatient / inpatient,
        rttShare: d.rtt / rtt,
        edTypes: d.eye ? 'type2' : 'all',
        occupancy: d.occupancy,
      },
    ]),
  );
}
