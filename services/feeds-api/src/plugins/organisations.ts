// GET /v1/organisations/{regions|icbs|trusts}?date=: the hierarchy in force on a London date.
import type { FastifyPluginAsync } from 'fastify';
import type { RefData } from '@pulse/refdata';
import type { TSchema } from 'typebox';
import { DateQuery, problemResponses } from '../schemas/common.js';
import { IcbList, RegionList, TrustList } from '../schemas/organisations.js';
import { londonDateParam } from '../time.js';

interface Listing {
  path: string;
  what: string;
  schema: TSchema;
  list: (refdata: RefData, date: string) => readonly unknown[];
}

const LISTINGS: Listing[] = [
  {
    path: 'regions',
    what: 'NHS England regions',
    schema: RegionList,
    list: (refdata, date) =>
      refdata.regions(date).map(({ code, name, onsCode }) => ({ code, name, onsCode })),
  },
  {
    path: 'icbs',
    what: 'Integrated Care Boards',
    schema: IcbList,
    list: (refdata, date) =>
      refdata.icbs(date).map(({ code, name, regionCode, onsCode, validFrom, validTo }) => ({
        code,
        name,
        regionCode,
        onsCode,
        validFrom,
        validTo,
      })),
  },
  {
    path: 'trusts',
    what: 'NHS trusts',
    schema: TrustList,
    list: (refdata, date) =>
      refdata.trusts(date).map((trust) => {
        const r = refdata.resolveProvider(trust.odsCode, date);
        return {
          code: trust.odsCode,
          name: trust.name,
          icbCode: r.status === 'ok' ? r.icb.code : '',
          regionCode: r.status === 'ok' ? r.region.code : '',
          openDate: trust.openDate,
          closeDate: trust.closeDate,
          kind: trust.kind,
        };
      }),
  },
];

const organisations: FastifyPluginAsync = async (app) => {
  const { refdata, now } = app.pulse;
  for (const listing of LISTINGS) {
    app.get(`/organisations/${listing.path}`, {
      config: { cacheControl: 'no-cache' },
      schema: {
        tags: ['organisations'],
        operationId: `list${listing.path[0]!.toUpperCase()}${listing.path.slice(1)}`,
        summary: `The ${listing.what} in force on a date`,
        description: `The ${listing.what} in force on a London date (default today in London), by code. Figures for a date are attributed along this structure.`,
        querystring: DateQuery,
        response: { 200: listing.schema, ...problemResponses('INVALID_PARAMETER') },
      },
      handler: async (request) => {
        const { date: dateParam } = request.query as { date?: string };
        const date = londonDateParam(dateParam, now());
        const items = listing.list(refdata, date);
        return { date, count: items.length, [listing.path]: items };
      },
    });
  }
};

export default organisations;
