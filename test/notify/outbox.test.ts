import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Outbox } from '../../src/notify/outbox.ts';
import { TextFrame } from '../../src/notify/text-frame.ts';
import { bar, trade } from './records.ts';

const bytes = (text: string): TextFrame => TextFrame.of(text);

describe('outbox', () => {
  it('counts the bytes waiting through pushes, conflation, lagging notices and shifts', () => {
    const outbox = new Outbox();
    outbox.push({ message: bytes('x'.repeat(100)), record: trade('AAPL', 1), channel: 'trades', key: null });
    outbox.push({ message: bytes('y'.repeat(50)), record: bar('AAPL', 0, 1), channel: 'bars', key: 'bars AAPL 1s' });
    assert.equal(outbox.bytes, 150);
    assert.equal(outbox.conflate('bars AAPL 1s', bytes('z'.repeat(80)), bar('AAPL', 0, 2)), true);
    assert.equal(outbox.bytes, 180, 'the newer bar replaces the older one’s bytes');
    outbox.noteDropped(3);
    assert.equal(outbox.bytes, 180, 'a pending notice has no payload yet');
    assert.equal(outbox.shift()?.message.payload.length, 100);
    assert.equal(outbox.shift()?.message.payload.length, 80);
    assert.equal(outbox.bytes, 0);
    assert.match(outbox.shift()?.message.payload.toString() ?? '', /"dropped":3/);
    assert.equal(outbox.bytes, 0);
    outbox.push({ message: bytes('w'.repeat(10)), record: null, channel: null, key: null });
    outbox.clear();
    assert.equal(outbox.bytes, 0);
  });
});
