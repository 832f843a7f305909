import { PulseError } from '@pulse/errors';

/** Thrown by loadConfig: one line per bad variable, so an operator can fix them all at once. */
export class ConfigError extends PulseError<'CONFIG_INVALID'> {
  constructor(readonly problems: readonly string[]) {
    super('CONFIG_INVALID', `Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}
