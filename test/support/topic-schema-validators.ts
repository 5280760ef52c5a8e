import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { readTopicSchema } from '../../src/schemas/topic-schemas.ts';
import { TOPIC_KINDS, type TopicKind } from '../../src/topics.ts';

/**
 * Validators of the published schemas (docs/schemas/), compiled as a consumer would: ajv's default
 * strict mode (unknown keywords are errors), draft 2020-12, formats on, `discriminator` honoured.
 * Read from docs/schemas/ unless `schemaOf` says where (a running tickflow's /v1/schemas).
 */
export async function topicSchemaValidators(schemaOf: (kind: TopicKind) => Promise<object> = readTopicSchema): Promise<Record<TopicKind, ValidateFunction>> {
  const ajv = new Ajv2020({ allErrors: true, discriminator: true });
  addFormats.default(ajv);
  const validators = {} as Record<TopicKind, ValidateFunction>;
  for (const kind of TOPIC_KINDS) validators[kind] = ajv.compile(await schemaOf(kind));
  return validators;
}

/** Why `value` does not match, or `null`: ajv's errors as one line. */
export function schemaProblems(validate: ValidateFunction, value: unknown): string | null {
  return validate(value) ? null : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`).join('; ');
}
