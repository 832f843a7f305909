// Each trust's kind, A&E department types and children's flag, from published sources, with the
// basis of each decision written down (data/trust-kinds.csv). Rules, first that applies:
// 1. an override row (data/raw/trust-kind-overrides.csv) with its reason;
// 2. NHS England's FOI trust type: Ambulance, Community, Mental Health, Mental Health and
//    Community (Combined) as they are; Acute is `acute` with type 1 attendances in the A&E return,
//    else `specialist`;
// 3. only for a trust closed before the ICBs (never attributed): a rule on its name.
// A&E department types are those with attendances (booked or not) in the A&E return.
import { RefDataError } from '../errors.js';
import { TRUST_KINDS, type AeDepartmentType, type TrustKind } from '../kinds.js';
import type { LondonDate } from '../types.js';

/** The raw inputs for kinds (names of their files, for messages). */
export interface KindSources {
  /** NHS England's monthly A&E attendances CSV, one row per provider. */
  readonly aeReturn: readonly Record<string, string>[];
  /** ods_code, name, trust_type: NHS England's FOI list of trust types. */
  readonly trustTypes: readonly Record<string, string>[];
  /** ods_code, kind, ae_types ('1;3'), reason. */
  readonly overrides: readonly Record<string, string>[];
}

export interface TrustKindFacts {
  readonly kind: TrustKind;
  readonly aeTypes: readonly AeDepartmentType[];
  readonly children: boolean;
  readonly kindBasis: string;
}

interface TrustIdentity {
  readonly odsCode: string;
  readonly name: string;
  readonly closeDate: LondonDate | null;
}

const FOI = 'NHS England FOI trust type';
const FOI_KINDS: Readonly<Record<string, TrustKind>> = {
  Ambulance: 'ambulance',
  Community: 'community',
  'Mental Health': 'mental-health',
  'Mental Health and Community (Combined)': 'mental-health-community',
};

/** Attendance columns of the A&E return per department type (unbooked, booked). */
const AE_COLUMNS: readonly (readonly [AeDepartmentType, string, string])[] = [
  [1, 'A&E attendances Type 1', 'A&E attendances Booked Appointments Type 1'],
  [2, 'A&E attendances Type 2', 'A&E attendances Booked Appointments Type 2'],
  [
    3,
    'A&E attendances Other A&E Department',
    'A&E attendances Booked Appointments Other Department',
  ],
];

/** For trusts closed before the ICBs only; first match wins, else an acute hospital trust. */
const NAME_RULES: readonly (readonly [RegExp, TrustKind])[] = [
  [/NHS DIRECT|NIGHTINGALE/, 'other'],
  [/AMBULANCE/, 'ambulance'],
  [/MENTAL HEALTH|LEARNING DISABILIT/, 'mental-health'],
  [/COMMUNITY|CARE SERVICES|HEALTH AND CARE/, 'community'],
  [/ORTHOPAEDIC|RHEUMATIC|BROMPTON|WOMEN'S/, 'specialist'],
];

const invalid = (message: string) => new RefDataError('REFDATA_INVALID', message);
const count = (n: number) => n.toLocaleString('en-GB');

function parseAeTypes(text: string, what: string): AeDepartmentType[] {
  if (text === '') return [];
  return text.split(';').map((t) => {
    if (t !== '1' && t !== '2' && t !== '3') throw invalid(`${what}: bad A&E type '${t}'`);
    return Number(t) as AeDepartmentType;
  });
}

function parseKind(text: string | undefined, what: string): TrustKind {
  if (!(TRUST_KINDS as readonly string[]).includes(text ?? '')) {
    throw invalid(`${what}: unknown kind '${text}' (one of ${TRUST_KINDS.join(', ')})`);
  }
  return text as TrustKind;
}

/** Attendances per department type of each provider in the A&E return, and its month. */
function readAeReturn(rows: readonly Record<string, string>[]) {
  const byCode = new Map<string, Map<AeDepartmentType, number>>();
  let month = '';
  for (const row of rows) {
    const code = row['Org Code'] ?? '';
    if (code === 'TOTAL' || code === '') continue;
    // 'MSitAE-MAY-2025' -> 'May 2025'
    const [, m = '', y = ''] = (row.Period ?? '').split('-');
    month = `${m.charAt(0)}${m.slice(1).toLowerCase()} ${y}`;
    const types = new Map<AeDepartmentType, number>();
    for (const [type, unbooked, booked] of AE_COLUMNS) {
      const n = Number(row[unbooked] ?? 0) + Number(row[booked] ?? 0);
      if (!Number.isInteger(n)) throw invalid(`A&E return ${code}: a count is not a number`);
      if (n > 0) types.set(type, n);
    }
    byCode.set(code, types);
  }
  return { byCode, month };
}

/** Derives the kind facts of every trust; refuses a trust open since coverageFrom with no source. */
export function deriveTrustKinds(
  trusts: readonly TrustIdentity[],
  sources: KindSources,
  coverageFrom: LondonDate,
): Map<string, TrustKindFacts> {
  const known = new Set(trusts.map((t) => t.odsCode));
  const ae = readAeReturn(sources.aeReturn);
  const foi = new Map(sources.trustTypes.map((r) => [r.ods_code!, r.trust_type!]));
  const overrides = new Map<string, Record<string, string>>();
  for (const row of sources.overrides) {
    if (!known.has(row.ods_code!)) throw invalid(`kind override for unknown trust ${row.ods_code}`);
    overrides.set(row.ods_code!, row);
  }
  const returnText = (code: string) => {
    const types = ae.byCode.get(code);
    if (!types) return `not in the A&E return of ${ae.month}`;
    if (types.size === 0) return `no attendances in the A&E return of ${ae.month}`;
    const parts = [...types].map(([t, n]) => `type ${t} ${count(n)}`);
    return `A&E return of ${ae.month}, attendances incl. booked: ${parts.join(', ')}`;
  };

  const out = new Map<string, TrustKindFacts>();
  for (const trust of trusts) {
    const code = trust.odsCode;
    const returned = [...(ae.byCode.get(code)?.keys() ?? [])].sort();
    const override = overrides.get(code);
    const type = foi.get(code);
    let kind: TrustKind;
    let aeTypes: AeDepartmentType[] = returned;
    let basis: string;
    if (override) {
      kind = parseKind(override.kind, `kind override ${code}`);
      aeTypes = parseAeTypes(override.ae_types ?? '', `kind override ${code}`);
      basis = `override: ${override.reason}`;
    } else if (type !== undefined) {
      if (type === 'Acute') kind = returned.includes(1) ? 'acute' : 'specialist';
      else if (FOI_KINDS[type]) kind = FOI_KINDS[type];
      else throw invalid(`${FOI} of ${code} is '${type}', not a type the build knows`);
      basis = `${FOI} '${type}'; ${returnText(code)}`;
    } else if (trust.closeDate !== null && trust.closeDate < coverageFrom) {
      const rule = NAME_RULES.find(([pattern]) => pattern.test(trust.name));
      kind = rule ? rule[1] : 'acute';
      if (kind === 'acute') aeTypes = [1];
      basis =
        `closed ${trust.closeDate}, before the ICBs (never attributed): from its name, ` +
        (rule ? `which matches ${rule[0].source}` : 'a hospital trust with a type 1 department');
    } else {
      throw invalid(`trust ${code} is open since ${coverageFrom} but no source gives its kind`);
    }
    if ((kind === 'acute') !== aeTypes.includes(1)) {
      throw invalid(`trust ${code}: kind ${kind} with A&E types [${aeTypes.join(', ')}]`);
    }
    const children = trust.name.includes('CHILDREN');
    out.set(code, {
      kind,
      aeTypes,
      children,
      kindBasis: children ? `${basis}; a children's hospital (its name)` : basis,
    });
  }
  return out;
}
