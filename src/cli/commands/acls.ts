import type { Command } from 'commander';
import { loadConfig } from '../../config/config.ts';
import { aclJson, aclTable, ACL_FORMATS, kafkaAclsCommands, type AclFormat, type PrincipalGrant } from '../acls/acl-formats.ts';
import { aclsFor, ACL_PARTS, type AclPart } from '../acls/kafka-acls.ts';
import { usageError } from '../usage-error.ts';

interface PrintOptions {
  readonly format: string;
  readonly principal?: string;
  readonly commandConfig?: string;
}

const HELP = `
Each part gets only what it uses: READ on the topics it reads, WRITE on the topics it writes (its
dead letters and its state topic included), READ on its consumer group, WRITE on its transactional
ids (prefixed: they end in TICKFLOW_INSTANCE_ID). Names carry TICKFLOW_TOPIC_PREFIX.

No part creates topics when it may not: it then only needs them to exist. Create them once with
\`tickflow topics create\` under a principal holding what \`tickflow acls print topics\` lists.
On Kafka 3.0 and later, WRITE on a topic also lets the idempotent producer start; older brokers
also need IdempotentWrite on the cluster for the parts that write.

Examples:
  tickflow acls print archive
  tickflow acls print signals --format kafka-acls --principal User:signals --command-config admin.properties
  tickflow acls print --format json > acls.json`;

export function registerAcls(program: Command): void {
  const acls = program.command('acls').description('the Kafka ACLs each part of tickflow needs (least privilege)');
  acls
    .command('print')
    .description('print the ACLs of the parts named (default: every part, and `topics` for `tickflow topics create`)')
    .argument('[parts...]', ACL_PARTS.join(' | '))
    .option('--format <format>', ACL_FORMATS.join(' | '), 'table')
    .option('--principal <principal>', 'the principal to grant to, as User:<name> (default: User:<part> for each part)')
    .option('--command-config <file>', 'with --format kafka-acls: the client properties (TLS, SASL) kafka-acls.sh connects with')
    .addHelpText('after', HELP)
    .action((parts: string[], options: PrintOptions) => print(parts, options));
}

function print(names: readonly string[], options: PrintOptions): void {
  const format = options.format as AclFormat;
  if (!ACL_FORMATS.includes(format)) throw usageError(`--format must be one of ${ACL_FORMATS.join(', ')} (got "${options.format}")`);
  const unknown = names.filter((name) => !(ACL_PARTS as readonly string[]).includes(name));
  if (unknown.length > 0) throw usageError(`unknown part "${unknown.join('", "')}": choose from ${ACL_PARTS.join(', ')}`);
  if (options.principal !== undefined && !/^[A-Za-z]+:.+$/.test(options.principal)) throw usageError(`--principal must read <type>:<name>, like User:archive (got "${options.principal}")`);
  const config = loadConfig();
  const parts = (names.length > 0 ? names : ACL_PARTS) as readonly AclPart[];
  const grants: PrincipalGrant[] = parts.flatMap((part) => aclsFor(part, config).map((grant) => ({ ...grant, principal: options.principal ?? `User:${part}` })));
  if (format === 'json') return void console.log(aclJson(grants));
  if (format === 'kafka-acls') {
    const commandConfig = options.commandConfig ? { commandConfig: options.commandConfig } : {};
    return void console.log(kafkaAclsCommands(grants, { bootstrapServers: config.kafkaBrokers.join(','), ...commandConfig }));
  }
  console.log(aclTable(grants));
}
