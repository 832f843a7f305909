import { TRUST_KINDS } from '@pulse/refdata';
import { Type, type TSchema } from 'typebox';
import { IsoDate } from './common.js';
import { component } from './components.js';

const nullableDate = (description: string) =>
  Type.Union([IsoDate(description), Type.Null()], { description, examples: ['2026-03-31', null] });

const REGION_EXAMPLE = { code: 'Y62', name: 'North West', onsCode: 'E40000010' };
const ICB_EXAMPLE = {
  code: 'QE1',
  name: 'NHS Lancashire and South Cumbria Integrated Care Board',
  regionCode: 'Y62',
  onsCode: 'E54000048',
  validFrom: '2022-07-01',
  validTo: null,
};
const TRUST_EXAMPLE = {
  code: 'RXN',
  name: 'LANCASHIRE TEACHING HOSPITALS NHS FOUNDATION TRUST',
  icbCode: 'QE1',
  regionCode: 'Y62',
  openDate: '2002-08-01',
  closeDate: null,
  kind: 'acute',
};

const onDate = IsoDate('The London date the structure is for.');

export const RegionSchema = Type.Object(
  {
    code: Type.String({ description: 'NHS England region code (ODS).', examples: ['Y62'] }),
    name: Type.String({ description: 'Region name.', examples: ['North West'] }),
    onsCode: Type.String({ description: 'ONS E40 code.', examples: ['E40000010'] }),
  },
  {
    description: 'An NHS England region.',
    examples: [REGION_EXAMPLE],
  },
);
component('Region', RegionSchema);

export const IcbSchema = Type.Object(
  {
    code: Type.String({ description: 'ICB code (ODS).', examples: ['QE1'] }),
    name: Type.String({
      description: 'ICB name.',
      examples: ['NHS Lancashire and South Cumbria Integrated Care Board'],
    }),
    regionCode: Type.String({ description: 'Code of its region.', examples: ['Y62'] }),
    onsCode: Type.Union([Type.String(), Type.Null()], {
      description: 'ONS E54 code; null where not published (the April 2026 ICBs).',
      examples: ['E54000048'],
    }),
    validFrom: IsoDate('First day in force.'),
    validTo: nullableDate('Last day in force; null while in force.'),
  },
  {
    description: 'An Integrated Care Board.',
    examples: [ICB_EXAMPLE],
  },
);
component('Icb', IcbSchema);

export const TrustSchema = Type.Object(
  {
    code: Type.String({ description: 'Trust ODS code.', examples: ['RXN'] }),
    name: Type.String({
      description: 'Trust name.',
      examples: ['LANCASHIRE TEACHING HOSPITALS NHS FOUNDATION TRUST'],
    }),
    icbCode: Type.String({ description: 'Its ICB on the date.', examples: ['QE1'] }),
    regionCode: Type.String({ description: 'Its region on the date.', examples: ['Y62'] }),
    openDate: IsoDate('First day open.'),
    closeDate: nullableDate('Last day open; null while open.'),
    kind: Type.Union(
      TRUST_KINDS.map((k) => Type.Literal(k)),
      {
        description:
          'What kind of provider it is: acute (runs a type 1 A&E department), specialist (acute, no type 1 department), community, mental-health, mental-health-community, ambulance or other. It decides which figures the trust is expected to report (@pulse/refdata README).',
        examples: ['acute'],
      },
    ),
  },
  {
    description: 'An NHS trust with its ICB and region on the date, and its kind.',
    examples: [TRUST_EXAMPLE],
  },
);
component('Trust', TrustSchema);

function listOf<K extends string>(key: K, item: TSchema, what: string, example: unknown) {
  return Type.Object(
    {
      date: onDate,
      count: Type.Integer({ description: `Number of ${what}.`, examples: [1] }),
      [key]: Type.Array(item, { description: `The ${what} in force on the date, by code.` }),
    },
    {
      description: `The ${what} in force on a London date.`,
      examples: [{ date: '2026-04-01', count: 1, [key]: [example] }],
    },
  );
}

export const RegionList = listOf('regions', RegionSchema, 'regions', REGION_EXAMPLE);
export const IcbList = listOf('icbs', IcbSchema, 'ICBs', ICB_EXAMPLE);
export const TrustList = listOf('trusts', TrustSchema, 'trusts', TRUST_EXAMPLE);
