/** Where a client's shared frames are written: the net.Socket under its ws WebSocket. */
export interface FrameSink {
  write(frame: Buffer, callback: (error?: Error | null) => void): boolean;
}

/** What `frameSinkOf` looks at on a client's socket (HubClient's ClientSocket; ws's WebSocket has both). */
export interface FrameSocket {
  readonly extensions?: string;
  readonly _socket?: Partial<FrameSink> | null;
}

/**
 * The socket to write whole frames (TextFrame) to directly, or `null` when messages must go through
 * `socket.send`: a socket that is not ws's, or one that negotiated an extension. The notify routes
 * turn permessage-deflate off (test/notify/shared-frame.test.ts fails if it gets enabled); were it
 * on, the frames would need RSV1 and compressed payloads, and ws's sender would queue messages
 * while it deflates, so a frame written past it could overtake them. That is the case that falls
 * back to `send`.
 *
 * Why a frame written here never splits one of ws's (ping, pong, close) or the other way round:
 * with no extension ws's sender never queues (it does only while deflating or reading a Blob, and
 * tickflow sends no Blobs), so each of its frames is written whole, synchronously, in the call that
 * sends it (`sendFrame`: header and payload under one cork); a shared frame is one `write` of one
 * buffer. Both land in the same net.Socket write queue, in call order, and one JS thread makes the
 * calls, so frames follow one another whole. After ws sent its close frame, readyState is no longer
 * OPEN and the client writes nothing more (HubClient checks before every write, as `send` does).
 * Both paths add to `_writableState.length`, which is what ws's `bufferedAmount` reads: the
 * backpressure accounting sees shared frames as it saw `send`'s.
 */
export function frameSinkOf(socket: FrameSocket): FrameSink | null {
  const raw = socket._socket;
  if (socket.extensions !== '' || !raw || typeof raw.write !== 'function') return null;
  return raw as FrameSink;
}
