import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BinaryCopyWriter } from '../../src/store/copy-binary.ts';

const HEADER = 11 + 4 + 4;

/** The fields of a single-row stream, without header, field count and trailer. */
function fieldBytes(write: (writer: BinaryCopyWriter) => void): Buffer {
  const writer = new BinaryCopyWriter(1, 1);
  write(writer.row(1));
  const stream = writer.finish();
  assert.deepEqual(stream.subarray(0, 11), Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'));
  assert.equal(stream.readInt16BE(stream.length - 2), -1, 'trailer');
  return stream.subarray(HEADER + 2, stream.length - 2);
}

describe('COPY binary writer', () => {
  it('writes bigint as PostgreSQL does, negatives and the safe-integer limits included', () => {
    for (const value of [0, 1, -1, 2 ** 32, -(2 ** 32), 2 ** 32 - 1, 1_800_000_000_000_123, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, -1_234_567_890_123]) {
      const expected = Buffer.alloc(12);
      expected.writeInt32BE(8, 0);
      expected.writeBigInt64BE(BigInt(value), 4);
      assert.deepEqual(fieldBytes((w) => w.int8(value)), expected, String(value));
    }
  });

  it('writes text as UTF-8 with its byte length, NULL as length −1', () => {
    const bytes = fieldBytes((w) => w.text('ü€😀'));
    assert.equal(bytes.readInt32BE(0), Buffer.byteLength('ü€😀'));
    assert.equal(bytes.subarray(4).toString('utf8'), 'ü€😀');
    assert.deepEqual(fieldBytes((w) => w.float8(null)), Buffer.from([0xff, 0xff, 0xff, 0xff]));
  });

  it('writes text[] with its dimensions, and an empty array with none', () => {
    const empty = fieldBytes((w) => w.textArray([]));
    assert.deepEqual([empty.readInt32BE(0), empty.readInt32BE(4), empty.readInt32BE(8), empty.readInt32BE(12)], [12, 0, 0, 25]);
    const two = fieldBytes((w) => w.textArray(['1', 'ab']));
    assert.deepEqual([two.readInt32BE(4), two.readInt32BE(16), two.readInt32BE(20)], [1, 2, 1], 'one dimension of 2 from 1');
    assert.equal(two.readInt32BE(0), two.length - 4);
  });

  it('writes jsonb as version 1 and the UTF-8 text, the length counting the version byte', () => {
    const json = '[{"topic":"ü€😀"}]';
    const bytes = fieldBytes((w) => w.jsonb(json));
    assert.equal(bytes.readInt32BE(0), Buffer.byteLength(json) + 1);
    assert.equal(bytes.readUInt8(4), 1);
    assert.equal(bytes.subarray(5).toString('utf8'), json);
  });

  it('grows past its first estimate', () => {
    const writer = new BinaryCopyWriter(1, 1);
    for (let i = 0; i < 1_000; i++) writer.row(1).text('x'.repeat(100));
    assert.equal(writer.finish().length, HEADER + 1_000 * (2 + 4 + 100) + 2);
  });
});
