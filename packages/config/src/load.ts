import { z } from 'zod';
import { ConfigError } from './errors.js';

/**
 * Validates the environment against a service's schema. Call it from `main` only, never at
 * import time. Unknown variables are ignored; every bad one is reported, not just the first.
 */
export function loadConfig<Shape extends z.ZodRawShape>(
  shape: Shape,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<Shape>> {
  // Empty strings mean "unset", as in a compose file's `VAR=`.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = z.object(shape).safeParse(present);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`),
    );
  }
  return result.data;
}
