// League table of the areas under the one shown (ICBs of England or of a region, trusts of an
// ICB): sortable by any column with a button in its header (keyboard: Tab, Enter or Space),
// the sort order stated in aria-sort and in words, every name a drill-down link.
import { useState } from 'preact/hooks';
import { scopeHash, type ScopeRef } from './api.js';
import {
  ageText,
  reportingOf,
  tileById,
  tileText,
  type AgeView,
  type Snapshot,
  type Tile,
} from './figures.js';

export interface LeagueRow {
  scope: ScopeRef;
  name: string;
  snapshot: Snapshot | null;
  error?: string;
}

const COLUMNS = [
  'ed_within_4h',
  'ed_in_department',
  'ed_in_department_over_12h',
  'ambulance_handovers_over_60m',
  'ambulance_hours_lost',
  'ga_occupancy',
].map((id) => tileById(id)!);

type SortKey = 'name' | string;

function sortValue(row: LeagueRow, key: SortKey, age: AgeView): number | string {
  if (key === 'name') return row.name;
  const tile = tileById(key)!;
  const v = row.snapshot ? tile.value(row.snapshot, age) : null;
  return v ?? Number.NEGATIVE_INFINITY;
}

export function LeagueTable(props: { title: string; rows: LeagueRow[]; age: AgeView }) {
  const { rows, age } = props;
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({
    key: 'ed_within_4h',
    descending: false,
  });
  const sorted = [...rows].sort((a, b) => {
    const x = sortValue(a, sort.key, age);
    const y = sortValue(b, sort.key, age);
    const order =
      typeof x === 'string' || typeof y === 'string' ? String(x).localeCompare(String(y)) : x - y;
    return sort.descending ? -order : order;
  });
  const header = (key: SortKey, label: string, numeric: boolean) => {
    const active = sort.key === key;
    const direction = active ? (sort.descending ? 'descending' : 'ascending') : 'none';
    return (
      <th
        scope="col"
        class={`nhsuk-table__header${numeric ? ' nhsuk-table__header--numeric' : ''}`}
        aria-sort={direction}
      >
        <button
          type="button"
          class="pulse-sort"
          data-sort={key}
          onClick={() => setSort({ key, descending: active ? !sort.descending : key !== 'name' })}
        >
          {label}
          <span class="nhsuk-u-visually-hidden">
            {active ? `, sorted ${direction}` : ', sort by this column'}
          </span>
          {active ? (sort.descending ? ' ▼' : ' ▲') : ''}
        </button>
      </th>
    );
  };
  const cell = (tile: Tile, row: LeagueRow) => (
    <td class="nhsuk-table__cell nhsuk-table__cell--numeric" data-cell={tile.id}>
      {row.snapshot ? tileText(tile, row.snapshot, age) : '–'}
    </td>
  );
  return (
    <section aria-labelledby="league-heading">
      <h2 id="league-heading">{props.title}</h2>
      <div class="nhsuk-table-responsive">
        <table class="nhsuk-table" data-league="">
          <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">
            {props.title}, sorted by {sort.key === 'name' ? 'name' : tileById(sort.key)!.label}{' '}
            {sort.descending ? 'highest first' : 'lowest first'}
          </caption>
          <thead class="nhsuk-table__head">
            <tr>
              {header('name', 'Name', false)}
              {COLUMNS.map((tile) => header(tile.id, tile.label, true))}
              <th scope="col" class="nhsuk-table__header">
                Reporting
              </th>
            </tr>
          </thead>
          <tbody class="nhsuk-table__body">
            {sorted.map((row) => (
              <tr class="nhsuk-table__row" key={row.scope.code} data-row={row.scope.code}>
                <th scope="row" class="nhsuk-table__header">
                  <a href={scopeHash(row.scope)}>{row.name}</a>
                </th>
                {COLUMNS.map((tile) => cell(tile, row))}
                <td class="nhsuk-table__cell">
                  {row.snapshot ? <Reporting snapshot={row.snapshot} /> : (row.error ?? '…')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** Why a disclosure-controlled page has no reporting state. */
export const NOT_PUBLISHED = 'reporting times are published only at national level';

const TAGS = {
  fresh: ['nhsuk-tag--green', 'Reporting'],
  late: ['nhsuk-tag--yellow', 'Late'],
  silent: ['nhsuk-tag--red', 'Silent'],
} as const;

/** A provider's or area's reporting: a tag with a word (never colour alone) and the newest event. */
export function Reporting(props: { snapshot: Snapshot }) {
  const { snapshot } = props;
  if (snapshot.disclosure === 'controlled') {
    // The API publishes when and which providers reported only at national level here.
    return (
      <span>
        <strong class="nhsuk-tag nhsuk-tag--grey">Not published</strong>{' '}
        <span class="nhsuk-body-s">{NOT_PUBLISHED}</span>
      </span>
    );
  }
  const state = reportingOf(snapshot.freshness.ageSeconds);
  const [tag, word] = TAGS[state];
  const { reported, expected } = snapshot.completeness;
  return (
    <span>
      <strong class={`nhsuk-tag ${tag}`}>{word}</strong>{' '}
      <span class="nhsuk-body-s">
        {ageText(snapshot.freshness.ageSeconds)}
        {expected !== null && expected > 1 ? `, ${reported} of ${expected} providers` : ''}
      </span>
    </span>
  );
}
