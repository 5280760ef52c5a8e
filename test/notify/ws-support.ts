import Fastify, { type FastifyInstance } from 'fastify';
import { WebSocket, type ClientOptions } from 'ws';
import { NotificationHub, type NotificationHubOptions } from '../../src/notify/notification-hub.ts';
import { notifyRoutes, type NotifyRouteOptions } from '../../src/notify/websocket-routes.ts';
import type { Logger } from '../../src/logger.ts';
import { waitFor } from '../support/wait.ts';

export interface Served {
  readonly app: FastifyInstance;
  readonly hub: NotificationHub;
  /** `ws://127.0.0.1:<port>` */
  readonly url: string;
}

/** The notify routes alone on a real socket, on a free loopback port. */
export async function serve(
  routes: Omit<NotifyRouteOptions, 'hub'> = {},
  hubOptions: NotificationHubOptions = {},
  logger?: Logger,
): Promise<Served> {
  const hub = new NotificationHub(hubOptions);
  const app = Fastify(logger ? { loggerInstance: logger } : {});
  await app.register(notifyRoutes, { hub, instance: 'test-1', ...routes });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  return { app: app as unknown as FastifyInstance, hub, url: `ws://127.0.0.1:${address.port}` };
}

// Messages are whatever JSON the server sent; tests look at their fields.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Message = Record<string, any>;

export interface TestClient {
  readonly ws: WebSocket;
  readonly messages: Message[];
  /** Resolves with the close code and reason once the socket closed. */
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Waits for the first message (from `from` on) that matches and returns it. */
  next(match: (message: Message) => boolean, what: string, timeoutMs?: number): Promise<Message>;
  send(message: unknown): void;
  of(type: string): Message[];
}

/** Connects and resolves once open; rejects with `HTTP <status>` when the server refuses the upgrade. */
export function connect(url: string, protocols: string | string[] = [], options: ClientOptions = {}): Promise<TestClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, options);
    const messages: Message[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data)) as Message));
    const closed = new Promise<{ code: number; reason: string }>((done) => ws.once('close', (code, reason) => done({ code, reason: String(reason) })));
    ws.once('unexpected-response', (_request, response) => {
      reject(new Error(`HTTP ${response.statusCode}`));
      response.resume();
      ws.terminate();
    });
    ws.once('error', reject);
    ws.once('open', () => {
      ws.off('error', reject);
      ws.on('error', () => {});
      const client: TestClient = {
        ws,
        messages,
        closed,
        async next(match, what, timeoutMs = 5_000) {
          let found: Message | undefined;
          await waitFor(() => (found = messages.find(match)) !== undefined, what, timeoutMs);
          return found!;
        },
        send: (message) => ws.send(typeof message === 'string' ? message : JSON.stringify(message)),
        of: (type) => messages.filter((message) => message.type === type),
      };
      resolve(client);
    });
  });
}

/** Subscribes and waits for the answer to it: `subscribed`, or the `error` refusing it. */
export async function subscribe(client: TestClient, symbols: string[], channels?: string[]): Promise<Message> {
  const [subscribed, errors] = [client.of('subscribed').length, client.of('error').length];
  client.send({ op: 'subscribe', symbols, ...(channels ? { channels } : {}) });
  await waitFor(() => client.of('subscribed').length > subscribed || client.of('error').length > errors, 'subscribed');
  return client.of('subscribed')[subscribed] ?? client.of('error').at(-1)!;
}
