import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ws from 'ws';
import { frameSinkOf, type FrameSocket } from '../../src/notify/frame-sink.ts';
import { TextFrame } from '../../src/notify/text-frame.ts';

// ws's own framing, which @types/ws does not declare.
const { Sender } = ws as unknown as { Sender: { frame(data: Buffer, options: object): Buffer[] } };
const wsFrame = (payload: Buffer): Buffer => Buffer.concat(Sender.frame(payload, { fin: true, opcode: 1, mask: false, rsv1: false, readOnly: false }));

describe('TextFrame', () => {
  it('is byte for byte the frame ws builds for an unmasked, uncompressed text message, at every length form', () => {
    for (const length of [0, 1, 125, 126, 127, 65_535, 65_536, 70_000]) {
      const text = 'a'.repeat(length);
      const frame = TextFrame.of(text);
      assert.deepEqual(frame.frame, wsFrame(Buffer.from(text)), `${length} bytes`);
      assert.equal(frame.payload.toString('utf8'), text);
    }
  });

  it('counts UTF-8 bytes, not characters', () => {
    const text = JSON.stringify({ symbol: 'BÖRSE:€', note: '日本株 📈' });
    const frame = TextFrame.of(text);
    assert.deepEqual(frame.frame, wsFrame(Buffer.from(text)));
    assert.deepEqual(frame.payload, Buffer.from(text));
  });
});

describe('frameSinkOf', () => {
  const raw = { cork: (): void => {}, uncork: (): void => {}, write: (): boolean => true };
  const socket = (extensions: string | undefined, underlying: FrameSocket['_socket']): FrameSocket => ({
    ...(extensions === undefined ? {} : { extensions }),
    _socket: underlying,
  });

  it('writes shared frames to a ws socket with no extension', () => {
    assert.equal(frameSinkOf(socket('', raw)), raw);
  });

  it('falls back to send with permessage-deflate, or without a writable socket underneath', () => {
    assert.equal(frameSinkOf(socket('permessage-deflate', raw)), null);
    assert.equal(frameSinkOf(socket(undefined, raw)), null);
    assert.equal(frameSinkOf(socket('', {})), null);
    assert.equal(frameSinkOf(socket('', null)), null);
  });
});
