// The bounds beyond which a well-formed event is not believable, each broken bound reported with
// its own code (errors.ts). Pure: rules that need a clock (lateness, future dating, emittedAt in
// the future) or reference data (unknown organisations) are the aggregator's. Every bound is far
// beyond what the NHS records, so a real event never meets one; each closes a way one record
// could skew England (a handover whose ambulance "arrived" in 1970 adding 500,000 hours lost).

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

/**
 * Longest ED stay, arrival to departure: 7 days. NHS England counts 12-hour waits from arrival
 * and the longest waits it reports are a few days; the simulator caps stays at 48 hours.
 */
export const MAX_ED_STAY_MS = 7 * DAY;

/**
 * Longest ambulance handover, arrival at hospital to handover: 24 hours. Handovers over 60
 * minutes are the standard's breach; waits of more than a shift are exceptional.
 */
export const MAX_HANDOVER_MS = 24 * HOUR;

/**
 * Longest hospital spell, admission to discharge: 3 years (1,096 days). Acute stays are days
 * (HES mean ~5 days); spells of more than a year are rare and 3 years covers them.
 */
export const MAX_SPELL_MS = 1_096 * DAY;

/**
 * Longest RTT wait, clock start to the event recording a start or a stop: 5 years (260 weeks).
 * The waiting-time statistics report waits of more than 104 weeks; none near five years.
 */
export const MAX_RTT_WAIT_MS = 260 * WEEK;

/**
 * Most beds of one type in one snapshot (one site, or a whole trust when the site is the trust):
 * 5,000. The largest English trusts have under 3,000 general and acute beds (KH03).
 */
export const MAX_BEDS_PER_SNAPSHOT = 5_000;

/**
 * True when `siteOds` can be a site of the provider: the provider's own code (a snapshot for the
 * whole trust), or, for a 3-character trust code, that code followed by 2 letters or digits.
 * The ODS extracts here list no sites; the derivation is the ODS code format of NHS trust sites
 * (the NHS Data Model and Dictionary's ORGANISATION SITE CODE: the parent trust's 3-character
 * code and 2 more, e.g. RXF05 Pinderfields Hospital of RXF). Sites of 5-character providers
 * follow no published pattern, so only the provider's own code is accepted for them.
 */
export function isSiteOfProvider(siteOds: string, providerOds: string): boolean {
  if (siteOds === providerOds) return true;
  return providerOds.length === 3 && siteOds.length === 5 && siteOds.startsWith(providerOds);
}
