import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { postgresConnection, splitQuery, SslParameterError, type SslParameter } from '../store/postgres-tls.ts';

/** libpq's environment variables for what DATABASE_URL's own parameters leave out. */
const ENVIRONMENT_PARAMETERS = { PGSSLMODE: 'sslmode', PGSSLROOTCERT: 'sslrootcert' } as const satisfies Record<string, SslParameter>;

export const DATABASE_SCHEMA = {
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  PGSSLMODE: z.string().trim().min(1).optional(),
  PGSSLROOTCERT: z.string().trim().min(1).optional(),
};

type DatabaseEnv = z.infer<z.ZodObject<typeof DATABASE_SCHEMA>>;

/**
 * DATABASE_URL with PGSSLMODE and PGSSLROOTCERT added where it has no sslmode or sslrootcert of its
 * own (as libpq does), checked now so that a wrong TLS setting stops start-up before anything
 * connects. The ConfigError names the variable and never shows the URL.
 */
export function databaseUrlFrom(env: DatabaseEnv): string | undefined {
  const url = env.DATABASE_URL;
  if (url === undefined) return undefined;
  const added = new URLSearchParams();
  const from = new Map<string, string>();
  for (const [variable, parameter] of Object.entries(ENVIRONMENT_PARAMETERS)) {
    const value = env[variable as keyof typeof ENVIRONMENT_PARAMETERS];
    if (value === undefined || splitQuery(url).params.has(parameter)) continue;
    added.set(parameter, value);
    from.set(parameter, variable);
  }
  const effective = added.size === 0 ? url : `${url}${url.includes('?') ? '&' : '?'}${added.toString()}`;
  try {
    postgresConnection(effective);
  } catch (error) {
    if (!(error instanceof SslParameterError)) throw error;
    throw new ConfigError(`invalid configuration:\n  ${from.get(error.parameter) ?? 'DATABASE_URL'}: ${error.message}`);
  }
  return effective;
}
