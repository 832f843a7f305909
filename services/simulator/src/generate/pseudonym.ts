// The simulated trusts' keyed pseudonyms: what the contract asks of `subjectRef`, the output of
// HMAC-SHA-256 as 64 lowercase hex digits, keyed per seed (a trust would key it with a secret of
// its own) over a stand-in for the patient's identifier drawn from the seeded stream.
import { createHmac } from 'node:crypto';

/** The pseudonym function of one seed: same seed and token, same pseudonym. */
export function pseudonymiser(seed: string): (patientToken: string) => string {
  const key = `${seed}/pseudonym-key`;
  return (patientToken) => createHmac('sha256', key).update(patientToken).digest('hex');
}
