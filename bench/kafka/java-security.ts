/**
 * tickflow's Kafka security settings as a Java client's properties file (`--producer.config`), so the
 * Java side of a benchmark connects as tickflow does. Secrets go in a file (mode 0600), not on a
 * command line where `ps` shows them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KafkaSecurityOptions } from '../../src/bus/kafka/security.ts';

/** Writes the properties (and the PEM files they name) into `dir`; undefined for PLAINTEXT. */
export function writeJavaSecurityConfig(security: KafkaSecurityOptions, dir: string): string | undefined {
  if (security.protocol === 'PLAINTEXT') return undefined;
  const secret = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text, { mode: 0o600 });
    return path;
  };
  const lines = [`security.protocol=${security.protocol}`];
  if (security.sasl) {
    const { mechanism, username, password } = security.sasl;
    const module = mechanism === 'PLAIN' ? 'org.apache.kafka.common.security.plain.PlainLoginModule' : 'org.apache.kafka.common.security.scram.ScramLoginModule';
    lines.push(`sasl.mechanism=${mechanism}`, `sasl.jaas.config=${module} required username=${JSON.stringify(username)} password=${JSON.stringify(password)};`);
  }
  const tls = security.tls ?? {};
  if (tls.ca) lines.push('ssl.truststore.type=PEM', `ssl.truststore.location=${secret('java-ca.pem', tls.ca)}`);
  if (tls.cert && tls.key) {
    lines.push('ssl.keystore.type=PEM', `ssl.keystore.location=${secret('java-keystore.pem', `${tls.cert.trim()}\n${tls.key.trim()}\n`)}`);
    if (tls.keyPassword) lines.push(`ssl.key.password=${tls.keyPassword}`);
  }
  if (tls.verifyServerName === false) lines.push('ssl.endpoint.identification.algorithm=');
  return secret('java-security.properties', `${lines.join('\n')}\n`);
}
