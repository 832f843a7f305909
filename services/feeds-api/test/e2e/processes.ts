// The services as child processes from source: @pulse/testkit's helpers (shared with the
// dashboard's browser test).
export { isRunning, runFromSource, waitFor, type Child } from '@pulse/testkit';
