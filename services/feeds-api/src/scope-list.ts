// The `scopes` parameter of GET /v1/series: a list of organisations, each one scope
// (`england`, `regions/Y62`, `icbs/QE1`, `trusts/RXN`) or every organisation of a level within one
// (`regions/Y62/icbs`: every ICB of the region; `england/trusts`: every trust). Members are those
// in force on the range's last London date; each scope is listed once, in the order asked.
import type { RefData } from '@pulse/refdata';
import { ApiError } from './errors.js';
import { scopeBetween, type ResolvedScope, type ScopeKind } from './scopes.js';

const KIND_OF_SEGMENT = { regions: 'region', icbs: 'icb', trusts: 'trust' } as const;
type Segment = keyof typeof KIND_OF_SEGMENT;
const DEPTH: Record<ScopeKind, number> = { england: 0, region: 1, icb: 2, trust: 3 };

/** One item of `scopes`; the parser below checks what the pattern cannot. */
export const SCOPE_REF_PATTERN =
  '^(england|(regions|icbs|trusts)/[A-Z0-9]{3,5})(/(regions|icbs|trusts))?$';

function badItem(item: string, detail: string): ApiError {
  return new ApiError('INVALID_PARAMETER', `scopes: '${item}' ${detail}.`, {
    errors: [{ in: 'query', name: 'scopes', pointer: '/scopes', detail: `'${item}' ${detail}` }],
  });
}

/** The scopes of a list over London dates [first, last], members on `last`. */
export function resolveScopeList(
  refdata: RefData,
  items: readonly string[],
  first: string,
  last: string,
): ResolvedScope[] {
  const out = new Map<string, ResolvedScope>();
  const add = (resolved: ResolvedScope) => {
    const key = `${resolved.info.kind}/${resolved.info.code ?? ''}`;
    if (!out.has(key)) out.set(key, resolved);
  };
  for (const item of items) {
    const parts = item.split('/');
    const [head, code] = parts[0] === 'england' ? ['england', ''] : [parts[0]!, parts[1]!];
    const kind: ScopeKind = head === 'england' ? 'england' : KIND_OF_SEGMENT[head as Segment];
    const below = parts[kind === 'england' ? 1 : 2] as Segment | undefined;
    const parent = scopeBetween(refdata, kind, code, first, last);
    if (below === undefined) {
      add(parent);
      continue;
    }
    const childKind = KIND_OF_SEGMENT[below];
    const scope = parent.scope;
    if (scope.kind === 'trust' || DEPTH[childKind] <= DEPTH[kind]) {
      throw badItem(item, `asks for ${below} within a ${kind}, which has none`);
    }
    if (childKind === 'trust') {
      for (const trust of refdata.trustsInScope(scope, last))
        add(scopeBetween(refdata, 'trust', trust.odsCode, first, last));
    } else if (childKind === 'icb') {
      for (const icb of refdata.icbs(last))
        if (scope.kind === 'england' || icb.regionCode === code)
          add(scopeBetween(refdata, 'icb', icb.code, first, last));
    } else {
      for (const region of refdata.regions(last))
        add(scopeBetween(refdata, 'region', region.code, first, last));
    }
  }
  return [...out.values()];
}
