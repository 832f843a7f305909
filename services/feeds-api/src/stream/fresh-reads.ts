// The push feed's snapshot reads share their freshness and completeness reads: the cycles the hub
// starts on one tick ask for them in one turn of the event loop, and, from two scopes on, one read
// of the store's fresh view (every partition's fresh hash) answers all of them, where each scope
// would otherwise read every partition twice. Exact: the shared read is sent once the turn's asks
// are all made, so it reflects every change applied before any of them; an ask after it was sent
// waits for the next one.
import { scopeKey, type Scope } from '@pulse/kpi';
import type { Completeness, FiguresSource, FreshView } from '../ports.js';

interface Waiting {
  scope: string;
  /** Answers from a view (the shared read). */
  fromView(view: FreshView): void;
  /** Answers by its own read (a lone scope). */
  alone(): void;
}

/** The figures port with `freshness` and `completeness` shared per turn of the event loop. */
export function sharedFreshReads(figures: FiguresSource): FiguresSource {
  let waiting: Waiting[] = [];

  function flush(): void {
    const asks = waiting;
    waiting = [];
    if (new Set(asks.map((ask) => ask.scope)).size < 2) {
      for (const ask of asks) ask.alone();
      return;
    }
    figures.freshView().then(
      (view) => asks.forEach((ask) => ask.fromView(view)),
      (err: unknown) => asks.forEach((ask) => ask.fromView(failing(err))),
    );
  }

  function ask<T>(scope: Scope, fromView: (view: FreshView) => T, alone: () => Promise<T>) {
    return new Promise<T>((resolve, reject) => {
      if (waiting.length === 0) queueMicrotask(flush);
      waiting.push({
        scope: scopeKey(scope),
        fromView(view) {
          try {
            resolve(fromView(view));
          } catch (err) {
            reject(err);
          }
        },
        alone: () => void alone().then(resolve, reject),
      });
    });
  }

  return {
    ...figures,
    freshness: (scope) =>
      ask(
        scope,
        (view) => view.freshness(scope),
        () => figures.freshness(scope),
      ),
    completeness: (scope, asOf, londonDate, since): Promise<Completeness> =>
      ask(
        scope,
        (view) => view.completeness(scope, asOf, londonDate, since),
        () => figures.completeness(scope, asOf, londonDate, since),
      ),
  };
}

/** A view whose every answer throws `err` (the shared read failed). */
function failing(err: unknown): FreshView {
  const fail = (): never => {
    throw err;
  };
  return { freshness: fail, completeness: fail };
}
