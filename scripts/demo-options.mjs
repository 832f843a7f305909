// `npm run demo` options, checked strictly: a bad option is one line naming it, never a stack
// trace or a silent fallback (scripts/demo.mjs prints it and exits 2).
import { parseArgs } from 'node:util';

export const DEMO_USAGE = `Usage: npm run demo -- [--speed N] [--trusts A,B] [--port P]

  --speed N     replay today from London midnight at N times real time until it catches up
                with the clock, then real time (N >= 1; default: backfill today at full speed,
                then real time)
  --trusts A,B  simulate only these trusts (ODS codes; default every open trust)
  --port P      port of the feeds API, 0 for any free port (default 8080, or any free port if
                8080 is taken)
`;

export class DemoOptionError extends Error {}

/** The demo's options from argv (without node and script); throws DemoOptionError. */
export function parseDemoOptions(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        speed: { type: 'string' },
        trusts: { type: 'string' },
        port: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    // parseArgs' own message names the option, e.g. "Unknown option '--foo'".
    throw new DemoOptionError(err.message.split('\n')[0]);
  }
  const speed = values.speed === undefined ? 1 : Number(values.speed);
  if (
    values.speed !== undefined &&
    !(values.speed.trim() !== '' && Number.isFinite(speed) && speed >= 1)
  ) {
    throw new DemoOptionError(`--speed: must be a number of at least 1, got "${values.speed}"`);
  }
  let port;
  if (values.port !== undefined) {
    port = /^\d{1,5}$/.test(values.port) ? Number(values.port) : Number.NaN;
    if (!(port >= 0 && port <= 65535))
      throw new DemoOptionError(
        `--port: must be a whole number from 0 to 65535, got "${values.port}"`,
      );
  }
  let trusts;
  if (values.trusts !== undefined) {
    trusts = values.trusts
      .split(',')
      .map((code) => code.trim().toUpperCase())
      .filter(Boolean);
    if (trusts.length === 0 || trusts.some((code) => !/^[A-Z0-9]{3,5}$/.test(code)))
      throw new DemoOptionError(
        `--trusts: must be ODS codes separated by commas, got "${values.trusts}"`,
      );
  }
  return { help: values.help ?? false, speed, trusts, port };
}
