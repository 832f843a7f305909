import { nodesOf } from './cells.js';
import type { Family, ScopeInfo } from './types.js';

/** The body of one scope in a controlled tree (a route serving one scope from the whole tree). */
export function findScope<B extends { scope: ScopeInfo }>(
  tree: Family<B>,
  kind: ScopeInfo['kind'],
  code?: string,
): B | undefined {
  return nodesOf(tree).find(
    (n) => n.body.scope.kind === kind && (kind === 'england' || n.body.scope.code === code),
  )?.body;
}
