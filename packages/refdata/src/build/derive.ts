import { addDays, fromOdsDate } from '../dates.js';
import { RefDataError } from '../errors.js';
import type { Membership, Tables } from '../tables.js';
import type { Icb, LondonDate, Region, Trust } from '../types.js';
import { deriveTrustKinds } from './kinds.js';
import type { RawSources } from './sources.js';

// Columns of the ODS etr.csv layout (0-based).
const ORG_CODE = 0;
const NAME = 1;
const NATIONAL_GROUPING = 2; // NHS England region (Y56...)
const HEALTH_GEOGRAPHY = 3; // ICB
const OPEN_DATE = 10;
const CLOSE_DATE = 11;

interface EtrRow {
  code: string;
  name: string;
  regionCode: string;
  icbCode: string;
  open: LondonDate;
  close: LondonDate | null;
}

interface Period {
  file: string;
  from: LondonDate;
  to: LondonDate | null;
  rows: Map<string, EtrRow>;
}

const invalid = (message: string) => new RefDataError('REFDATA_INVALID', message);
const later = (a: LondonDate, b: LondonDate) => (a > b ? a : b);
const earlier = (a: LondonDate | null, b: LondonDate | null) =>
  a === null ? b : b === null ? a : a < b ? a : b;
const byKey =
  <T>(key: (item: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

function readEtr(file: string, row: readonly string[]): EtrRow {
  const at = (i: number) => row[i] ?? '';
  const what = `${file} ${at(ORG_CODE)}`;
  const open = fromOdsDate(at(OPEN_DATE), `${what} open date`);
  if (open === null) throw invalid(`${what}: no open date`);
  return {
    code: at(ORG_CODE),
    name: at(NAME),
    regionCode: at(NATIONAL_GROUPING),
    icbCode: at(HEALTH_GEOGRAPHY),
    open,
    close: fromOdsDate(at(CLOSE_DATE), `${what} close date`),
  };
}

/**
 * Derives the effective-dated tables from the raw sources:
 * - each extract's ICB memberships hold from its inForceFrom until the next extract's (the first
 *   from the ICBs' start), clipped to the trust's open and close dates;
 * - rows outside the English regions (Welsh trusts) are left out;
 * - an ICB is in force over the periods in which an open trust belongs to it;
 * - a trust's name and dates are those of the newest extract holding it;
 * - its kind, A&E department types and children's flag as build/kinds.ts decides them.
 */
export function deriveTables(raw: RawSources): Tables {
  const regions: Region[] = raw.regions.map((r) => ({
    code: r.region_code!,
    name: r.name!,
    onsCode: r.ons_code!,
  }));
  const regionCodes = new Set(regions.map((r) => r.code));
  const icbRows = new Map<string, Record<string, string>>();
  for (const row of raw.icbLists.flat()) {
    if (icbRows.has(row.ods_code!)) throw invalid(`ICB ${row.ods_code} is listed twice`);
    icbRows.set(row.ods_code!, row);
  }

  const extracts = [...raw.extracts].sort(byKey((e) => e.inForceFrom));
  const periods: Period[] = extracts.map((extract, i) => {
    const next = extracts[i + 1];
    const rows = new Map<string, EtrRow>();
    for (const fields of extract.rows) {
      const row = readEtr(extract.file, fields);
      if (!regionCodes.has(row.regionCode)) continue;
      if (!icbRows.has(row.icbCode)) {
        throw invalid(
          `${extract.file}: trust ${row.code} is in ICB '${row.icbCode}', which no ICB list names`,
        );
      }
      rows.set(row.code, row);
    }
    return {
      file: extract.file,
      from: extract.inForceFrom,
      to: next ? addDays(next.inForceFrom, -1) : null,
      rows,
    };
  });
  const coverageFrom = periods[0]?.from;
  if (coverageFrom === undefined) throw invalid('no ODS extract in the sources');

  // Newest extract wins for a trust's name and dates.
  const latest = new Map<string, EtrRow>();
  for (const period of periods) for (const [code, row] of period.rows) latest.set(code, row);

  // Memberships per period, clipped to the trust's open dates; ICBs in force per period.
  const memberships: Membership[] = [];
  const icbPeriods = new Map<string, number[]>();
  const icbRegions = new Map<string, Set<string>>();
  const seen = new Set<string>();
  periods.forEach((period, index) => {
    for (const [code, row] of period.rows) {
      const trust = latest.get(code)!;
      // A trust first seen in a later extract is taken back to its opening (checked below).
      const start = seen.has(code) ? period.from : coverageFrom;
      seen.add(code);
      const validFrom = later(start, trust.open);
      const validTo = earlier(period.to, trust.close);
      if (validTo !== null && validTo < validFrom) continue;
      memberships.push({ odsCode: code, icbCode: row.icbCode, validFrom, validTo });
      if (validTo !== null && validTo < period.from) continue; // backfilled only, not in this period
      const list = icbPeriods.get(row.icbCode) ?? [];
      if (list.at(-1) !== index) list.push(index);
      icbPeriods.set(row.icbCode, list);
      icbRegions.set(row.icbCode, (icbRegions.get(row.icbCode) ?? new Set()).add(row.regionCode));
    }
  });

  const icbs: Icb[] = [...icbPeriods].map(([code, indexes]) => {
    const row = icbRows.get(code)!;
    const found = [...icbRegions.get(code)!];
    const regionCode = row.region_code || found[0]!;
    if (found.length !== 1 || found[0] !== regionCode) {
      throw invalid(
        `ICB ${code}: its trusts are in region(s) ${found.join(', ')}, its list says ${regionCode}`,
      );
    }
    if (indexes.some((p, i) => i > 0 && p !== indexes[i - 1]! + 1)) {
      throw invalid(`ICB ${code} is in force in extracts that are not consecutive`);
    }
    return {
      code,
      name: row.name!,
      regionCode,
      onsCode: row.ons_code || null,
      validFrom: periods[indexes[0]!]!.from,
      validTo: periods[indexes.at(-1)!]!.to,
    };
  });

  const icbByCode = new Map(icbs.map((i) => [i.code, i]));
  for (const m of memberships) {
    const icb = icbByCode.get(m.icbCode);
    const covered =
      icb &&
      m.validFrom >= icb.validFrom &&
      (icb.validTo === null || (m.validTo !== null && m.validTo <= icb.validTo));
    if (!covered)
      throw invalid(
        `trust ${m.odsCode} is in ICB ${m.icbCode} from ${m.validFrom}, when it is not in force`,
      );
  }

  const identities = [...latest.values()].map((r) => ({
    odsCode: r.code,
    name: r.name,
    openDate: r.open,
    closeDate: r.close,
  }));
  const kinds = deriveTrustKinds(identities, raw.kinds, coverageFrom);
  const trusts: Trust[] = identities.map((t) => ({ ...t, ...kinds.get(t.odsCode)! }));
  return {
    regions: regions.sort(byKey((r) => r.code)),
    icbs: icbs.sort(byKey((i) => i.code)),
    trusts: trusts.sort(byKey((t) => t.odsCode)),
    memberships: mergeAdjacent(memberships.sort(byKey((m) => `${m.odsCode} ${m.validFrom}`))),
  };
}

/** Joins a trust's consecutive windows in the same ICB (an ICB that continued across extracts). */
function mergeAdjacent(sorted: readonly Membership[]): Membership[] {
  const out: Membership[] = [];
  for (const m of sorted) {
    const prev = out.at(-1);
    if (
      prev &&
      prev.odsCode === m.odsCode &&
      prev.icbCode === m.icbCode &&
      prev.validTo !== null &&
      addDays(prev.validTo, 1) === m.validFrom
    ) {
      out[out.length - 1] = { ...prev, validTo: m.validTo };
    } else {
      out.push(m);
    }
  }
  return out;
}
