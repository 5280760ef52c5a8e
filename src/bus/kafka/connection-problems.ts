import { ERROR_CODES, TickflowError } from '../../errors.ts';
import type { KafkaSecurityOptions } from './security.ts';

/** Node.js's codes for a broker certificate that does not chain to a trusted authority. */
const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
]);
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const CONNECTION_FAILED = /^Connection to (\S+) failed\.$/;

interface Found {
  readonly error: Error & { code?: string };
  /** host:port of the broker, when the client said. */
  readonly broker: string | undefined;
}

/**
 * What a refused connection says about the security settings, as an error naming the variable to
 * fix; undefined when it is not about security (a broker down or unreachable, a timeout). None of
 * these gets better by retrying, so start-up stops on them at once.
 */
export function securityProblem(error: unknown, brokers: readonly string[], security: KafkaSecurityOptions): TickflowError | undefined {
  for (const { error: leaf, broker } of leaves(error, undefined)) {
    const where = `Kafka at ${broker ?? brokers.join(',')}`;
    const message = describe(leaf, where, security);
    if (message) return new TickflowError(ERROR_CODES.BUS_AUTHENTICATION, message, { cause: error });
  }
  return undefined;
}

function describe(error: Error & { code?: string }, where: string, security: KafkaSecurityOptions): string | undefined {
  const { protocol, sasl, tls } = security;
  const code = error.code ?? '';
  if (code === 'PLT_KFK_AUTHENTICATION' && sasl) {
    if (/suitable SASL mechanism/.test(error.message)) {
      return `${where} does not accept SASL mechanism ${sasl.mechanism} on this listener (check KAFKA_SASL_MECHANISM, and that KAFKA_BROKERS names the broker's SASL listener)`;
    }
    return `${where} rejected the SASL/${sasl.mechanism} credentials of user '${sasl.username}' (check KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD, and KAFKA_SASL_MECHANISM)`;
  }
  if (EXPIRED.has(code)) {
    return `the TLS certificate of ${where} is ${code === 'CERT_HAS_EXPIRED' ? 'expired' : 'not valid yet'}: the broker's certificate must be renewed (or this machine's clock is wrong)`;
  }
  if (UNTRUSTED.has(code)) {
    return `the TLS certificate of ${where} is not signed by a trusted authority (${code}): set KAFKA_SSL_CA_FILE to the CA that signed the broker's certificate${tls?.ca ? ' (the one it names now did not)' : ' (none is set: only public CAs are trusted)'}`;
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `the TLS certificate of ${where} is for another host (${error.message}): name the brokers in KAFKA_BROKERS as their certificates do`;
  }
  if (code === 'PLT_KFK_USER' && /requires TLS/.test(error.message)) {
    return `${where} speaks TLS, but KAFKA_SECURITY_PROTOCOL is ${protocol}: set it to ${sasl ? 'SASL_SSL' : 'SSL or SASL_SSL'}`;
  }
  if ((code === 'PLT_KFK_USER' && /TLS handshake failed/.test(error.message)) || code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO') {
    return `${where} does not speak TLS on this port, but KAFKA_SECURITY_PROTOCOL is ${protocol} (check KAFKA_BROKERS names the broker's TLS listener, or set KAFKA_SECURITY_PROTOCOL to ${sasl ? 'SASL_PLAINTEXT' : 'PLAINTEXT'})`;
  }
  if (/^ERR_SSL_.*(CERTIFICATE|UNKNOWN_CA|HANDSHAKE_FAILURE)/.test(code)) {
    return `${where} refused the TLS handshake (${code}): ${tls?.cert ? 'it does not accept the client certificate of KAFKA_SSL_CERT_FILE (signed by a CA it does not trust, or expired)' : 'it probably requires a client certificate (set KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE)'}`;
  }
  return undefined;
}

/** The innermost errors of the client's nesting (AggregateErrors of causes), each with the broker it concerns. */
function* leaves(error: unknown, broker: string | undefined): Generator<Found> {
  if (!(error instanceof Error)) return;
  const here = CONNECTION_FAILED.exec(error.message)?.[1] ?? broker;
  yield { error, broker: here };
  const nested: unknown = (error as { errors?: unknown }).errors;
  if (Array.isArray(nested)) for (const inner of nested) yield* leaves(inner, here);
  if (error.cause !== undefined) yield* leaves(error.cause, here);
}
