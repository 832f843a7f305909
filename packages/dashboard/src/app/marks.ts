// performance.mark names along the first render's critical path, read by bench/run.ts (and
// visible in the browser's performance tools).

/** The app's module started running (its bundle loaded and parsed). */
export const APP_START = 'pulse:app-start';
/** The scope's first snapshot received (from the stream, or a snapshot read when polling). */
export const FIRST_SNAPSHOT = 'pulse:first-snapshot';
/** The first headline figures rendered. */
export const FIRST_FIGURES = 'pulse:first-figures';

/** Marks `name` once per page: later calls do nothing. */
export function markOnce(name: string): void {
  if (performance.getEntriesByName(name).length === 0) performance.mark(name);
}
