import type { AeDepartmentType, FigureFamily, TrustKind } from './kinds.js';

/** A London calendar date, 'YYYY-MM-DD'. Dates compare correctly as strings. */
export type LondonDate = string;

/** An NHS trust (ODS "etr" organisation). Name and dates are those of the newest extract. */
export interface Trust {
  readonly odsCode: string;
  readonly name: string;
  /** First day open. */
  readonly openDate: LondonDate;
  /** Last day open (ODS close dates are inclusive), or null while open. */
  readonly closeDate: LondonDate | null;
  /** What kind of provider it is (data/trust-kinds.csv). */
  readonly kind: TrustKind;
  /** A&E department types it runs (NHS England's monthly A&E return), ascending; [] for none. */
  readonly aeTypes: readonly AeDepartmentType[];
  /** A children's hospital (its A&E sees only 0-17s). */
  readonly children: boolean;
  /** How kind and aeTypes were decided, in words (the sources and rule used). */
  readonly kindBasis: string;
}

/** An Integrated Care Board, in force from validFrom to validTo inclusive. */
export interface Icb {
  readonly code: string;
  readonly name: string;
  readonly regionCode: string;
  /** ONS E54 code where published (null for the April 2026 ICBs). */
  readonly onsCode: string | null;
  readonly validFrom: LondonDate;
  /** Last day in force, or null while in force. */
  readonly validTo: LondonDate | null;
}

/** An NHS England region. */
export interface Region {
  readonly code: string;
  readonly name: string;
  readonly onsCode: string;
}

/**
 * What a provider code means on a London date.
 * - ok: the trust is open, with the ICB and region it belonged to that day;
 * - unknown: the code is not an English NHS trust in any extract;
 * - not-open / closed: a known trust outside its open dates (closed = its last open day);
 * - before-coverage: the trust is open but the date precedes the ICBs (1 July 2022), so the data
 *   holds no ICB for it.
 */
export type ProviderResolution =
  | { readonly status: 'ok'; readonly trust: Trust; readonly icb: Icb; readonly region: Region }
  | { readonly status: 'unknown' }
  | { readonly status: 'not-open'; readonly trust: Trust; readonly opens: LondonDate }
  | { readonly status: 'closed'; readonly trust: Trust; readonly closed: LondonDate }
  | {
      readonly status: 'before-coverage';
      readonly trust: Trust;
      readonly coverageFrom: LondonDate;
    };

/** A set of trusts by organisation: one ICB, one region, or all of England. */
export type Scope =
  | { readonly kind: 'icb'; readonly code: string }
  | { readonly kind: 'region'; readonly code: string }
  | { readonly kind: 'england' };

/** The organisation hierarchy trust -> ICB -> region, effective-dated. Pure and synchronous. */
export interface RefData {
  /** The provider's trust, ICB and region as they stood on londonDate. Cached per (provider, date). */
  resolveProvider(ods: string, londonDate: LondonDate): ProviderResolution;
  /** Regions with at least one ICB in force on the date, by code. */
  regions(londonDate: LondonDate): readonly Region[];
  /** ICBs in force on the date, by code. */
  icbs(londonDate: LondonDate): readonly Icb[];
  /** Trusts open (and attributed to an ICB) on the date, by code. */
  trusts(londonDate: LondonDate): readonly Trust[];
  /** Lookups by code, whatever the date; undefined if unknown. */
  trust(ods: string): Trust | undefined;
  icb(code: string): Icb | undefined;
  region(code: string): Region | undefined;
  /** Trusts open on the date and attributed to the scope's ICB or region that day (empty if unknown). */
  trustsInScope(scope: Scope, londonDate: LondonDate): readonly Trust[];
  /** Of trustsInScope, those expected to report the family of figures (expectedToReport). */
  trustsExpectedToReport(
    scope: Scope,
    londonDate: LondonDate,
    family: FigureFamily,
  ): readonly Trust[];
  /** First date the data attributes trusts to ICBs. */
  readonly coverageFrom: LondonDate;
  /**
   * Every date, ascending, from coverageFrom on, on which the hierarchy may change: a trust
   * opens or closes, moves ICB, or an ICB starts or ends. Between two of them (and after the
   * last) the trusts of every scope stay the same.
   */
  readonly structureChanges: readonly LondonDate[];
}
