// Example events with fields replaced, for tests of the field rules.
import { EXAMPLE_EVENTS, findIssues, type ActivityEvent } from '../../src/index.js';

/** An example event with some envelope or payload fields replaced. */
export function variant(
  type: ActivityEvent['eventType'],
  envelope: Record<string, unknown>,
  payload: Record<string, unknown> = {},
): unknown {
  const event = EXAMPLE_EVENTS[type];
  return { ...event, ...envelope, payload: { ...event.payload, ...payload } };
}

/** [code, path] of the first broken rule. */
export function firstIssue(event: unknown): [string, string] | undefined {
  const [issue] = findIssues(event);
  return issue && [issue.code, issue.path];
}
