import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/**
 * A WebSocket client that sends and never reads: a raw TCP socket that completes the opening
 * handshake, then pauses and keeps writing masked text frames. What the server sends it piles up
 * in the server's buffers; the client notices it was closed only when its writes start to fail.
 */
export interface UnreadClient {
  /** Resolves once the connection is gone (the server closed it, or a write failed). */
  readonly closed: Promise<void>;
  /** Frames written so far. */
  readonly sent: () => number;
  /** Writes `frame` once. */
  write(frame: Buffer): void;
  /** Writes `frame` again and again, as fast as the socket takes them, until closed or `stop()`. */
  flood(frame: Buffer): void;
  stop(): void;
}

export function openUnreadClient(port: number, path: string): Promise<UnreadClient> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    let sent = 0;
    let stopped = false;
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.on('error', () => {});
    socket.once('error', reject);
    socket.once('connect', () => {
      const key = randomBytes(16).toString('base64');
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
    socket.once('data', (head: Buffer) => {
      if (!head.toString('latin1').startsWith('HTTP/1.1 101')) return reject(new Error(`no upgrade: ${head.toString('latin1').split('\r\n')[0]}`));
      socket.pause(); // never reads again
      socket.off('error', reject);
      resolve({
        closed,
        sent: () => sent,
        write(frame) {
          if (socket.destroyed) return;
          sent++;
          socket.write(frame);
        },
        flood(frame) {
          const write = (): void => {
            while (!stopped && !socket.destroyed) {
              sent++;
              if (!socket.write(frame)) return void socket.once('drain', write);
            }
          };
          write();
        },
        stop() {
          stopped = true;
          socket.destroy();
        },
      });
    });
  });
}

/** A client's text frame (RFC 6455 §5.2): FIN, opcode 1, masked with a zero key, so the payload goes as it is. */
export function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const length = payload.length;
  const header = length < 126 ? Buffer.from([0x81, 0x80 | length]) : length < 65_536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (length >= 126 && length < 65_536) {
    header[0] = 0x81;
    header[1] = 0x80 | 126;
    header.writeUInt16BE(length, 2);
  } else if (length >= 65_536) {
    header[0] = 0x81;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, Buffer.alloc(4), payload]);
}
