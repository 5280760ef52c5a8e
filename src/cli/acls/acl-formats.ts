import type { AclGrant, AclResourceType } from './kafka-acls.ts';

export const ACL_FORMATS = ['table', 'kafka-acls', 'json'] as const;
export type AclFormat = (typeof ACL_FORMATS)[number];

/** A grant with the principal it is for. */
export interface PrincipalGrant extends AclGrant {
  /** `User:<name>`, as Kafka's authorizer names principals. */
  readonly principal: string;
}

const RESOURCE_WORDS: Record<AclResourceType, string> = { TOPIC: 'topic', GROUP: 'group', TRANSACTIONAL_ID: 'transactional id' };
const RESOURCE_FLAGS: Record<AclResourceType, string> = { TOPIC: '--topic', GROUP: '--group', TRANSACTIONAL_ID: '--transactional-id' };

/** Aligned columns, one grant a line. */
export function aclTable(grants: readonly PrincipalGrant[]): string {
  const header = ['PART', 'PRINCIPAL', 'RESOURCE', 'PATTERN', 'NAME', 'OPERATIONS', 'WHY'];
  const rows = grants.map((grant) => [grant.part, grant.principal, RESOURCE_WORDS[grant.resourceType], grant.patternType.toLowerCase(), grant.name, grant.operations.join(','), grant.why]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  return [header, ...rows].map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ')).join('\n');
}

/** Ready-to-run `kafka-acls.sh --add` commands, one per grant. */
export function kafkaAclsCommands(grants: readonly PrincipalGrant[], connection: { bootstrapServers: string; commandConfig?: string }): string {
  return grants
    .map((grant) => {
      const words = [
        'kafka-acls.sh',
        `--bootstrap-server ${connection.bootstrapServers}`,
        ...(connection.commandConfig ? [`--command-config ${quoted(connection.commandConfig)}`] : []),
        '--add',
        `--allow-principal ${quoted(grant.principal)}`,
        ...grant.operations.map((operation) => `--operation ${camel(operation)}`),
        `${RESOURCE_FLAGS[grant.resourceType]} ${quoted(grant.name)}`,
        ...(grant.patternType === 'PREFIXED' ? ['--resource-pattern-type prefixed'] : []),
      ];
      return words.join(' ');
    })
    .join('\n');
}

export function aclJson(grants: readonly PrincipalGrant[]): string {
  return JSON.stringify(grants, null, 2);
}

/** READ → Read, IDEMPOTENT_WRITE → IdempotentWrite: kafka-acls.sh's spelling. */
function camel(operation: string): string {
  return operation
    .toLowerCase()
    .split('_')
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

/** Single-quoted for a POSIX shell when it holds anything but safe characters. */
function quoted(word: string): string {
  return /^[A-Za-z0-9._:@/=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
