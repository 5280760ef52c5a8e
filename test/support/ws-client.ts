import WebSocket from 'ws';

export interface CollectingClient {
  readonly socket: WebSocket;
  /** Every JSON message received so far, in order. */
  readonly messages: Array<Record<string, unknown>>;
}

/** Opens a WebSocket and keeps every JSON message it receives; resolves once it is open. */
export async function openCollecting(url: string, protocols: string[] = []): Promise<CollectingClient> {
  const socket = new WebSocket(url, protocols);
  const messages: Array<Record<string, unknown>> = [];
  socket.on('message', (data) => messages.push(JSON.parse(data.toString()) as Record<string, unknown>));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { socket, messages };
}
