import { ERROR_CODES, TickflowError } from '../errors.ts';

/** An operation of Kafka's ACLs, as `kafka-acls.sh` and the AdminClient name it. */
export type AclOperationName = 'READ' | 'WRITE' | 'CREATE' | 'DESCRIBE' | 'IDEMPOTENT_WRITE';

export type DeniedResource =
  | { readonly type: 'topic'; readonly names: readonly string[] }
  | { readonly type: 'group'; readonly names: readonly [string] }
  | { readonly type: 'transactional id'; readonly names: readonly [string] }
  | { readonly type: 'cluster' };

/**
 * The broker's authorizer refused this client an operation: not worth retrying, whoever asks again.
 * The message names the operation and the resource and points at `tickflow acls print`.
 */
export class KafkaAccessDenied extends TickflowError {
  readonly operation: AclOperationName;
  readonly resource: DeniedResource;

  constructor(operation: AclOperationName, resource: DeniedResource, options: { part?: string; cause?: unknown } = {}) {
    super(ERROR_CODES.BUS_ACCESS_DENIED, `Kafka denied ${operation} on ${describe(resource)} to this client: grant it (see \`tickflow acls print${options.part ? ` ${options.part}` : ''}\`)`, { cause: options.cause });
    this.name = 'KafkaAccessDenied';
    this.operation = operation;
    this.resource = resource;
  }

  /** The same refusal, its hint naming the part (`tickflow run <part>`) whose grants to print. */
  forPart(part: string): KafkaAccessDenied {
    return new KafkaAccessDenied(this.operation, this.resource, { part, cause: this.cause });
  }
}

function describe(resource: DeniedResource): string {
  if (resource.type === 'cluster') return 'the cluster';
  const names = resource.names.map((name) => `'${name}'`);
  return `${resource.type} ${names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`}`;
}
