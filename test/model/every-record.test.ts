import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const MODEL = fileURLToPath(new URL('../../src/model/', import.meta.url));

/** Every `interface X { readonly type: '…'` in src/model, with the file it is declared in. */
function recordTypes(): Array<{ readonly name: string; readonly file: string; readonly source: string }> {
  const found = [];
  for (const file of readdirSync(MODEL).filter((name) => name.endsWith('.ts'))) {
    const source = readFileSync(MODEL + file, 'utf8');
    for (const match of source.matchAll(/export interface (\w+) \{\s*readonly type: '/g)) found.push({ name: match[1]!, file, source });
  }
  return found;
}

describe('the record types', () => {
  it('are found (the scan below is not vacuous)', () => {
    assert.deepEqual(recordTypes().map((type) => type.name).filter((name) => ['Trade', 'Bar', 'AlertFiring'].includes(name)).sort(), ['AlertFiring', 'Bar', 'Trade']);
  });

  it('each have one validator, next to the type: validateX(value: unknown): X | string', async () => {
    for (const { name, file, source } of recordTypes()) {
      assert.match(source, new RegExp(`export function validate${name}\\(value: unknown\\): ${name} \\| string`), `src/model/${file} declares ${name} without validate${name}`);
      const module = (await import(MODEL + file)) as Record<string, (value: unknown) => unknown>;
      assert.equal(module[`validate${name}`]!(null), 'not an object', `validate${name}(null)`);
    }
  });
});
