// The dashboard page: England, then region → ICB → trust (hash routes), headline tiles live from
// the push feed, today's curve against last week, the league table of the areas below, and who
// is reporting. Preact for the rendering; everything it shows comes from the feeds API.
import { render } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  describeToken,
  getSnapshot,
  loadStructure,
  scopeFromHash,
  scopeHash,
  type ScopeRef,
  type Structure,
} from './api.js';
import { CurveChart } from './chart.js';
import {
  AGE_VIEWS,
  ageText,
  coverageText,
  TILES,
  tileById,
  tileText,
  type AgeView,
  type Snapshot,
} from './figures.js';
import { LeagueTable, NOT_PUBLISHED, Reporting, type LeagueRow } from './league.js';
import { openFeed, type FeedState } from './live.js';
import { APP_START, FIRST_FIGURES, FIRST_SNAPSHOT, markOnce } from './marks.js';

markOnce(APP_START);

const TOKEN_KEY = 'ics-pulse-token';
const LEAGUE_EVERY_MS = 60_000;

const timeOf = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

function useHashScope(): ScopeRef {
  const [scope, setScope] = useState(() => scopeFromHash(location.hash));
  useEffect(() => {
    const onHash = () => setScope(scopeFromHash(location.hash));
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  return scope;
}

/** The chain England → region → ICB → trust of a scope, names from the day's structure. */
function ancestry(scope: ScopeRef, structure: Structure | null): { ref: ScopeRef; name: string }[] {
  const chain: { ref: ScopeRef; name: string }[] = [{ ref: { kind: 'england' }, name: 'England' }];
  if (!structure || scope.kind === 'england') return chain;
  const trust =
    scope.kind === 'trust' ? structure.trusts.find((t) => t.code === scope.code) : undefined;
  const icbCode = scope.kind === 'icb' ? scope.code : trust?.icbCode;
  const icb = structure.icbs.find((i) => i.code === icbCode);
  const regionCode = scope.kind === 'region' ? scope.code : (icb?.regionCode ?? trust?.regionCode);
  const region = structure.regions.find((r) => r.code === regionCode);
  if (region) chain.push({ ref: { kind: 'region', code: region.code }, name: region.name });
  if (icb) chain.push({ ref: { kind: 'icb', code: icb.code }, name: icb.name });
  if (trust) chain.push({ ref: { kind: 'trust', code: trust.code }, name: trust.name });
  return chain;
}

/** The areas one level down, for the league table. */
function children(scope: ScopeRef, structure: Structure | null): { ref: ScopeRef; name: string }[] {
  if (!structure) return [];
  if (scope.kind === 'england' || scope.kind === 'region')
    return structure.icbs
      .filter((i) => scope.kind === 'england' || i.regionCode === scope.code)
      .map((i) => ({ ref: { kind: 'icb', code: i.code }, name: i.name }));
  if (scope.kind === 'icb')
    return structure.trusts
      .filter((t) => t.icbCode === scope.code)
      .map((t) => ({ ref: { kind: 'trust', code: t.code }, name: t.name }));
  return [];
}

function useLeague(
  scope: ScopeRef,
  structure: Structure | null,
  token: string | null,
): LeagueRow[] {
  const [rows, setRows] = useState<LeagueRow[]>([]);
  useEffect(() => {
    const areas = children(scope, structure);
    setRows(areas.map((a) => ({ scope: a.ref, name: a.name, snapshot: null })));
    if (areas.length === 0) return;
    let current = true;
    const load = () =>
      Promise.all(
        areas.map((a) =>
          getSnapshot(a.ref, token).then(
            (snapshot): LeagueRow => ({ scope: a.ref, name: a.name, snapshot }),
            (err: Error): LeagueRow => ({
              scope: a.ref,
              name: a.name,
              snapshot: null,
              error: err.message,
            }),
          ),
        ),
      ).then((loaded) => current && setRows(loaded));
    void load();
    const timer = setInterval(load, LEAGUE_EVERY_MS);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [scope.kind, scope.code, structure, token]);
  return rows;
}

const FEED_TAGS: Record<FeedState['kind'], [string, string]> = {
  connecting: ['nhsuk-tag--grey', 'Connecting'],
  live: ['nhsuk-tag--green', 'Live'],
  reconnecting: ['nhsuk-tag--yellow', 'Reconnecting'],
  stale: ['nhsuk-tag--red', 'Stale'],
  polling: ['nhsuk-tag--blue', 'Polling'],
  failed: ['nhsuk-tag--red', 'Not updating'],
};

function feedText(state: FeedState): string {
  switch (state.kind) {
    case 'connecting':
      return 'Connecting to the live feed…';
    case 'live':
      return 'Figures update as events arrive.';
    case 'reconnecting':
      return `Connection lost (${state.reason}); reconnecting, attempt ${state.attempt}. Figures resume where they stopped.`;
    case 'stale':
      return `Nothing received since ${timeOf.format(state.lastEventAt)}: figures may be out of date.`;
    case 'polling':
      return `No live feed here: ${state.reason} Figures are read every ${state.everyMs / 1000} s instead.`;
    case 'failed':
      return `Figures cannot be read: ${state.reason}`;
  }
}

function FeedStatus(props: { state: FeedState }) {
  const [tag, word] = FEED_TAGS[props.state.kind];
  return (
    <p class="nhsuk-body" role="status" data-feed={props.state.kind}>
      <strong class={`nhsuk-tag ${tag}`}>{word}</strong> {feedText(props.state)}
    </p>
  );
}

function TierNotice(props: { token: string | null; snapshot: Snapshot | null }) {
  const controlled = props.snapshot?.disclosure === 'controlled';
  return (
    <div class="nhsuk-inset-text" data-tier={props.token ? 'token' : 'public'}>
      <span class="nhsuk-u-visually-hidden">Information: </span>
      <p>
        {props.token
          ? `Using your ${describeToken(props.token)}: figures in its scope are exact.`
          : 'Public view (no token): England’s figures are exact; figures below England are disclosure-controlled.'}{' '}
        {props.snapshot === null
          ? ''
          : controlled
            ? 'The figures on this page are controlled: counts rounded to 5 and small counts suppressed (shown as –).'
            : 'The figures on this page are exact.'}
      </p>
    </div>
  );
}

function TokenForm(props: { token: string | null; setToken(token: string | null): void }) {
  const [draft, setDraft] = useState('');
  return (
    <details class="nhsuk-details">
      <summary class="nhsuk-details__summary">
        <span class="nhsuk-details__summary-text">
          {props.token ? 'Change or remove your access token' : 'Use an access token'}
        </span>
      </summary>
      <div class="nhsuk-details__text">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (draft.trim()) props.setToken(draft.trim());
            setDraft('');
            (e.currentTarget as HTMLFormElement).closest('details')?.removeAttribute('open');
          }}
        >
          <div class="nhsuk-form-group">
            <label class="nhsuk-label" for="token">
              Access token
            </label>
            <div class="nhsuk-hint" id="token-hint">
              A national or ICB token shows its scope exactly. Kept in this browser tab only.
            </div>
            <input
              class="nhsuk-input"
              id="token"
              name="token"
              type="password"
              autocomplete="off"
              aria-describedby="token-hint"
              value={draft}
              onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
            />
          </div>
          <button class="nhsuk-button nhsuk-button--secondary" type="submit">
            Use token
          </button>{' '}
          {props.token && (
            <button
              class="nhsuk-button nhsuk-button--reverse"
              type="button"
              onClick={() => props.setToken(null)}
            >
              Remove token
            </button>
          )}
        </form>
      </div>
    </details>
  );
}

function AgeSwitch(props: { age: AgeView; setAge(age: AgeView): void }) {
  return (
    <div class="nhsuk-form-group">
      <fieldset class="nhsuk-fieldset">
        <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Show figures for</legend>
        <div class="nhsuk-radios nhsuk-radios--inline">
          {AGE_VIEWS.map(({ view, label }) => (
            <div class="nhsuk-radios__item" key={view}>
              <input
                class="nhsuk-radios__input"
                id={`age-${view}`}
                name="age"
                type="radio"
                value={view}
                checked={props.age === view}
                onChange={() => props.setAge(view)}
              />
              <label class="nhsuk-label nhsuk-radios__label" for={`age-${view}`}>
                {label}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

function Tiles(props: {
  snapshot: Snapshot;
  age: AgeView;
  curve: string;
  setCurve(id: string): void;
}) {
  const { snapshot, age } = props;
  const fresh = `Newest event ${
    snapshot.disclosure === 'controlled'
      ? `not published: ${NOT_PUBLISHED}`
      : snapshot.freshness.newestEventAt
        ? `${timeOf.format(new Date(snapshot.freshness.newestEventAt))} (${ageText(snapshot.freshness.ageSeconds)})`
        : 'none yet'
  }`;
  return (
    <>
      <h2 class="nhsuk-u-visually-hidden">Headline figures</h2>
      <ul class="pulse-tiles nhsuk-list" aria-label="Headline figures">
        {TILES.map((tile) => (
          <li class="nhsuk-card" key={tile.id}>
            <div class="nhsuk-card__content">
              <h3 class="nhsuk-card__heading nhsuk-heading-s">{tile.label}</h3>
              <p class="pulse-value" data-tile={tile.id}>
                {tileText(tile, snapshot, age)}
              </p>
              <p class="nhsuk-body-s nhsuk-u-margin-bottom-1">{tile.hint}.</p>
              <p class="nhsuk-body-s nhsuk-u-secondary-text-colour nhsuk-u-margin-bottom-1">
                {fresh}; <span data-coverage={tile.id}>{coverageText(tile, snapshot)}</span>
              </p>
              {props.curve === tile.id ? (
                <p class="nhsuk-body-s nhsuk-u-margin-bottom-0">Curve shown below</p>
              ) : (
                <button
                  type="button"
                  class="pulse-sort nhsuk-body-s"
                  data-curve={tile.id}
                  onClick={() => props.setCurve(tile.id)}
                >
                  Show today’s curve<span class="nhsuk-u-visually-hidden"> of {tile.label}</span>
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}

/** Which providers (or areas) are silent or late, from the league rows. */
function ReportingList(props: { scope: ScopeRef; snapshot: Snapshot; rows: LeagueRow[] }) {
  // Controlled rows carry no reporting times: they are neither listed as behind nor as on time.
  const behind = props.rows.filter((r) =>
    r.snapshot?.disclosure === 'controlled' ||
    (r.snapshot &&
      r.snapshot.freshness.ageSeconds !== null &&
      r.snapshot.freshness.ageSeconds <= 900)
      ? false
      : true,
  );
  return (
    <section aria-labelledby="reporting-heading">
      <h2 id="reporting-heading">Who is reporting</h2>
      <p class="nhsuk-body">
        This area: <Reporting snapshot={props.snapshot} />. Every figure above has the same
        freshness and completeness: they are counted from one stream of events per provider.
      </p>
      {props.rows.length > 0 &&
        (props.rows.every((r) => r.snapshot?.disclosure === 'controlled') ? (
          <p class="nhsuk-body" data-behind="unpublished">
            Below: {NOT_PUBLISHED}.
          </p>
        ) : behind.length === 0 ? (
          <p class="nhsuk-body" data-behind="0">
            Every {props.scope.kind === 'icb' ? 'provider' : 'ICB'} below has reported in the last
            15 minutes.
          </p>
        ) : (
          <ul class="nhsuk-list nhsuk-list--bullet" data-behind={behind.length}>
            {behind.map((r) => (
              <li key={r.scope.code}>
                <a href={scopeHash(r.scope)}>{r.name}</a>:{' '}
                {r.snapshot ? <Reporting snapshot={r.snapshot} /> : (r.error ?? 'not read yet')}
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}

function Regions(props: { structure: Structure }) {
  return (
    <nav aria-labelledby="regions-heading">
      <h2 id="regions-heading">Regions</h2>
      <ul class="nhsuk-list nhsuk-list--bullet">
        {props.structure.regions.map((r) => (
          <li key={r.code}>
            <a href={scopeHash({ kind: 'region', code: r.code })}>{r.name}</a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function App() {
  const scope = useHashScope();
  const [structure, setStructure] = useState<Structure | null>(null);
  const [age, setAge] = useState<AgeView>('total');
  const [token, setTokenState] = useState<string | null>(() => sessionStorage.getItem(TOKEN_KEY));
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const [received, setReceived] = useState(0);
  const [feed, setFeed] = useState<FeedState>({ kind: 'connecting' });
  const [curve, setCurve] = useState('ed_attendances');
  const setToken = (value: string | null) => {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
    setTokenState(value);
  };

  // The organisation lists (names below England, the league table, drill-down) are read once the
  // first figures are in, or the feed has given up on them, so the first snapshot never queues
  // behind them (nor behind the league table's reads, which wait for the lists).
  const structureRead = useRef(false);
  useEffect(() => {
    if (structureRead.current) return;
    if (snapshot === null && feed.kind !== 'failed' && feed.kind !== 'reconnecting') return;
    structureRead.current = true;
    loadStructure().then(setStructure, () => setStructure(null));
  }, [snapshot, feed.kind]);
  useEffect(() => {
    setSnapshot(null);
    return openFeed({
      scope,
      token,
      onSnapshot: (s) => {
        markOnce(FIRST_SNAPSHOT);
        setSnapshot(s);
        setReceived(Date.now());
      },
      onState: setFeed,
    });
  }, [scope.kind, scope.code, token]);
  const rows = useLeague(scope, structure, token);
  const chain = useMemo(() => ancestry(scope, structure), [scope, structure]);
  const name = snapshot?.scope.name ?? chain.at(-1)?.name ?? '';
  const below = scope.kind === 'icb' ? 'Trusts in this ICB' : scope.kind === 'trust' ? '' : 'ICBs';
  const tile = tileById(curve) ?? TILES[0]!;
  useEffect(() => {
    document.title = `${name} – ICS Pulse`;
  }, [name]);
  // The first figures on screen, for the benchmark (bench/run.ts) and the browser's tools.
  useEffect(() => {
    if (snapshot) markOnce(FIRST_FIGURES);
  }, [snapshot]);

  return (
    <div>
      {chain.length > 1 && (
        <nav class="nhsuk-breadcrumb" aria-label="Breadcrumb">
          <ol class="nhsuk-breadcrumb__list">
            {chain.slice(0, -1).map((c) => (
              <li class="nhsuk-breadcrumb__list-item" key={c.ref.kind}>
                <a class="nhsuk-breadcrumb__link" href={scopeHash(c.ref)}>
                  {c.name}
                </a>
              </li>
            ))}
          </ol>
        </nav>
      )}
      <h1 data-scope={scope.code ?? 'england'}>
        {name}
        <span class="nhsuk-caption-l">Live NHS system pressure</span>
      </h1>
      <FeedStatus state={feed} />
      <TierNotice token={token} snapshot={snapshot} />
      <TokenForm token={token} setToken={setToken} />
      <AgeSwitch age={age} setAge={setAge} />
      {snapshot ? (
        <>
          <p class="nhsuk-body-s">
            Figures for {snapshot.londonDate} as of {timeOf.format(new Date(snapshot.asOf))} (UK
            time).
          </p>
          <Tiles snapshot={snapshot} age={age} curve={tile.id} setCurve={setCurve} />
          <CurveChart
            scope={scope}
            tile={tile}
            date={snapshot.londonDate}
            age={age}
            token={token}
            version={received}
          />
          {scope.kind === 'england' && structure && <Regions structure={structure} />}
          {below && <LeagueTable title={below} rows={rows} age={age} />}
          <ReportingList scope={scope} snapshot={snapshot} rows={rows} />
        </>
      ) : (
        <p class="nhsuk-body">Waiting for the first figures…</p>
      )}
    </div>
  );
}

const root = document.getElementById('app')!;
root.textContent = '';
render(<App />, root);
