/**
 * One text message as a complete WebSocket frame (RFC 6455 §5.2): FIN, opcode 1 (text), no RSV
 * bits, unmasked (server to client), the payload length in its shortest form (7 bits, 16 or 64),
 * the same bytes ws's `Sender.frame` builds for a `send(payload, { binary: false })` without
 * permessage-deflate. The hub builds one per record and writes it to every client's socket, instead
 * of ws framing it anew for each client.
 */
export class TextFrame {
  /** Header and payload, in one buffer: one write per client. */
  readonly frame: Buffer;
  /** The message itself (a view into `frame`), for a socket that must go through `ws.send`. */
  readonly payload: Buffer;

  private constructor(frame: Buffer, headerLength: number) {
    this.frame = frame;
    this.payload = frame.subarray(headerLength);
  }

  static json(value: unknown): TextFrame {
    return TextFrame.of(JSON.stringify(value));
  }

  static of(text: string): TextFrame {
    const length = Buffer.byteLength(text);
    const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
    const frame = Buffer.allocUnsafe(headerLength + length);
    frame[0] = FIN | TEXT;
    if (headerLength === 2) {
      frame[1] = length;
    } else if (headerLength === 4) {
      frame[1] = 126;
      frame.writeUInt16BE(length, 2);
    } else {
      frame[1] = 127;
      frame.writeBigUInt64BE(BigInt(length), 2);
    }
    frame.write(text, headerLength, 'utf8');
    return new TextFrame(frame, headerLength);
  }
}

const FIN = 0x80;
const TEXT = 0x01;
