import { Type } from 'typebox';
import { component } from './components.js';

export const ScopeInfoSchema = Type.Object(
  {
    kind: Type.Enum(['england', 'region', 'icb', 'trust'], {
      description: 'Level of the organisation hierarchy.',
      examples: ['icb'],
    }),
    code: Type.Optional(
      Type.String({ description: 'ODS code (absent for England).', examples: ['QE1'] }),
    ),
    name: Type.String({
      description: 'Name of the organisation.',
      examples: ['NHS Lancashire and South Cumbria Integrated Care Board'],
    }),
  },
  {
    description: 'The organisation the figures are for.',
    examples: [
      { kind: 'icb', code: 'QE1', name: 'NHS Lancashire and South Cumbria Integrated Care Board' },
    ],
  },
);
component('ScopeInfo', ScopeInfoSchema);

/** The four scope levels as routes see them: a path prefix and, below England, a code parameter. */
export const SCOPE_ROUTES = [
  { kind: 'england', prefix: '/england', label: 'England', example: undefined },
  { kind: 'region', prefix: '/regions/:code', label: 'an NHS England region', example: 'Y62' },
  { kind: 'icb', prefix: '/icbs/:code', label: 'an ICB', example: 'QE1' },
  { kind: 'trust', prefix: '/trusts/:code', label: 'a trust', example: 'RXN' },
] as const;

export type ScopeRoute = (typeof SCOPE_ROUTES)[number];

/** The `params` schema of a scope route, to spread into its schema (none for England). */
export function scopeParams(route: ScopeRoute) {
  if (route.example === undefined) return {};
  const params = Type.Object(
    {
      code: Type.String({
        pattern: '^[A-Z0-9]{3,5}$',
        description: `ODS code of ${route.label}: 3 to 5 upper-case letters and digits.`,
        examples: [route.example],
      }),
    },
    { additionalProperties: false },
  );
  return { params };
}
