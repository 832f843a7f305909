// `npm run token -- --role national` / `--role icb --icb D7T5G`: prints a token signed with the
// development key, for curl and the docs page against an API in development mode. Strict
// options: a bad one is one line and exit 2.
import { parseArgs } from 'node:util';
import { DEV_PRIVATE_JWK } from './dev-key.js';
import { ROLES, signToken, type Role } from './tokens.js';

export const TOKEN_USAGE = `Usage: npm run token -- --role national|icb|operator [--icb CODE[,CODE]] [--subject S] [--ttl SECONDS]

  Prints a bearer token signed with the published development key: accepted by a feeds API in
  development mode only (AUTH_MODE=development, the default without NODE_ENV=production, with
  no AUTH_JWKS_FILE/AUTH_JWKS_URL), never in production.

  --role      national (every figure exact), icb (its ICBs and their trusts exact), operator (/metrics)
  --icb       ICB code(s) granted, with --role icb (e.g. D7T5G)
  --subject   the sub claim (default dev-<role>)
  --ttl       lifetime in seconds (default 28800: eight hours)
`;

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

const fail = (message: string): CommandResult => ({
  exitCode: 2,
  stdout: '',
  stderr: `token: ${message} (npm run token -- --help)\n`,
});

export async function tokenCommand(argv: readonly string[]): Promise<CommandResult> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        role: { type: 'string' },
        icb: { type: 'string', multiple: true },
        subject: { type: 'string' },
        ttl: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    return fail((err as Error).message);
  }
  if (values.help) return { exitCode: 0, stdout: TOKEN_USAGE, stderr: '' };
  const role = values.role as Role | undefined;
  if (!role || !(ROLES as readonly string[]).includes(role)) {
    return fail(`--role must be one of ${ROLES.join(', ')}`);
  }
  const icbs = (values.icb ?? []).flatMap((list) => list.split(',')).map((c) => c.trim());
  if (role === 'icb' && icbs.length === 0) return fail('--role icb needs --icb CODE');
  if (role !== 'icb' && icbs.length > 0) return fail('--icb goes with --role icb only');
  const bad = icbs.find((code) => !/^[A-Z0-9]{3,5}$/.test(code));
  if (bad !== undefined) return fail(`--icb ${bad} is not an ICB code`);
  const ttl = values.ttl === undefined ? 28_800 : Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl < 1) return fail('--ttl must be a positive whole number');
  const token = await signToken(
    {
      role,
      ...(role === 'icb' ? { icbs } : {}),
      subject: values.subject ?? `dev-${role}`,
      ttlSeconds: ttl,
    },
    DEV_PRIVATE_JWK,
  );
  return { exitCode: 0, stdout: `${token}\n`, stderr: '' };
}
