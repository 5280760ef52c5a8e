import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { constantTimeEqual } from '../src/constant-time.ts';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

describe('constantTimeEqual', () => {
  it('tells equal secrets from different ones, of any length, strings or bytes', () => {
    assert.equal(constantTimeEqual('s3cret-token-0123456789', 's3cret-token-0123456789'), true);
    assert.equal(constantTimeEqual('s3cret-token-0123456789', 's3cret-token-012345678'), false);
    assert.equal(constantTimeEqual('', 'x'.repeat(10_000)), false);
    assert.equal(constantTimeEqual(Buffer.from('ab'), Buffer.from('ab')), true);
    assert.equal(constantTimeEqual(Buffer.from('ab'), Buffer.from('abc')), false);
  });

  it('is the only place the source compares secrets', () => {
    const users = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && readFileSync(join(SRC, file), 'utf8').includes('timingSafeEqual'));
    assert.deepEqual(users, ['constant-time.ts']);
  });
});
