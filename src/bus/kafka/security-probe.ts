import type { EventEmitter } from 'node:events';
import type { Admin } from '@platformatic/kafka';
import { securityProblem } from './connection-problems.ts';
import type { KafkaSecurityOptions } from './security.ts';

/**
 * One metadata request without retries, so that rejected credentials or certificates stop start-up
 * at once with the setting to fix, instead of being retried like a broker that is not up yet (which,
 * like any other failure here, is left to the caller's retries). A broker refusing the client's
 * certificate does so after the client's side of the TLS handshake is done: its alert arrives as an
 * error of the connection, while the request only learns "Connection closed", so both are examined.
 */
export async function probeSecurity(admin: Admin, brokers: readonly string[], security: KafkaSecurityOptions): Promise<void> {
  const connectionErrors: unknown[] = [];
  const watch = ({ connection }: { connection: EventEmitter }) => connection.once('error', (error: unknown) => connectionErrors.push(error));
  admin.on('client:broker:connect', watch);
  try {
    await admin.metadata({ topics: [], retries: 0 });
  } catch (error) {
    for (const candidate of [error, ...connectionErrors]) {
      const problem = securityProblem(candidate, brokers, security);
      if (problem) throw problem;
    }
  } finally {
    admin.off('client:broker:connect', watch);
  }
}
