import { hostname } from 'node:os';
import websocket from '@fastify/websocket';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import { presentedToken, tokenMatcher } from './bearer-auth.ts';
import { Heartbeat } from './heartbeat.ts';
import type { HubClient } from './hub-client.ts';
import type { NotificationHub } from './notification-hub.ts';
import { parseClientMessage, SUBPROTOCOL, type Endpoint } from './protocol.ts';

export interface NotifyRouteOptions {
  readonly hub: NotificationHub;
  /** Bearer token every client must present (`TICKFLOW_WS_TOKEN`); none: open endpoints. */
  readonly token?: string | undefined;
  /** Ping period (`TICKFLOW_WS_HEARTBEAT_MS`); default `NOTIFY_ROUTE_DEFAULTS.heartbeatMs`. */
  readonly heartbeatMs?: number;
  /** Named in every `hello` (`TICKFLOW_INSTANCE_ID`); default the host name. */
  readonly instance?: string;
  /** A client message longer than this gets an `error` (the socket stays open); default 64 KiB. */
  readonly maxMessageBytes?: number;
  /** How long shutdown waits for clients to finish the closing handshake before cutting them off; default 2 s. */
  readonly closeTimeoutMs?: number;
}

export const NOTIFY_ROUTE_DEFAULTS = { heartbeatMs: 15_000, maxMessageBytes: 64 * 1024, closeTimeoutMs: 2_000 } as const;

/** Frames past this are refused by ws itself, which closes the socket with 1009 (message too big). */
const FRAME_LIMIT_FACTOR = 4;
const GOING_AWAY = 1001;

/**
 * `/ws/notifications` and `/ws/stream` (PROTOCOL.md). Registers @fastify/websocket itself, so an
 * app must not register it a second time. On close (`preClose`) every socket is closed with 1001
 * and those that do not finish the handshake in time are terminated, so `app.close()` never hangs.
 */
export const notifyRoutes: FastifyPluginAsync<NotifyRouteOptions> = async (app, options) => {
  const { hub } = options;
  const heartbeatMs = options.heartbeatMs ?? NOTIFY_ROUTE_DEFAULTS.heartbeatMs;
  const maxMessageBytes = options.maxMessageBytes ?? NOTIFY_ROUTE_DEFAULTS.maxMessageBytes;
  const closeTimeoutMs = options.closeTimeoutMs ?? NOTIFY_ROUTE_DEFAULTS.closeTimeoutMs;
  const instance = options.instance ?? hostname();
  const sockets = new Set<WebSocket>();
  const heartbeat = new Heartbeat(heartbeatMs, () => hub.flush());

  // `closeTimeout` (ws ≥ 8.18) is not in @types/ws yet: kept in a variable past the literal check.
  const serverOptions = {
    maxPayload: maxMessageBytes * FRAME_LIMIT_FACTOR,
    // Off: the hub writes each record's one uncompressed frame to every client (frame-sink.ts).
    perMessageDeflate: false,
    // A slow consumer closed with 4008 that never answers the close frame is destroyed after this.
    closeTimeout: closeTimeoutMs,
    // Never echo the bearer.<token> subprotocol: the answer is tickflow.v1 or none.
    handleProtocols: (protocols: Set<string>) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
  };
  await app.register(websocket, {
    options: serverOptions,
    errorHandler: (error, socket, request) => {
      request.log.info({ err: error, url: request.url }, 'websocket client error; closing it');
      socket.terminate();
    },
    preClose: async () => {
      heartbeat.stop();
      await closeAll(sockets, closeTimeoutMs);
    },
  });
  app.addHook('onClose', async () => heartbeat.stop());

  const matches = options.token ? tokenMatcher(options.token) : null;
  const authorize = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!matches || matches(presentedToken(request.headers))) return;
    // The token is neither logged nor echoed: Fastify's request log has no headers.
    await reply
      .code(401)
      .header('www-authenticate', 'Bearer realm="tickflow"')
      .type('application/problem+json')
      .send({
        type: 'https://tickflow.dev/problems/401',
        title: 'Unauthorized',
        status: 401,
        detail: 'a bearer token is required: Authorization: Bearer <token>, or the subprotocol bearer.<token> next to tickflow.v1',
        instance: request.url.split('?')[0],
      });
  };

  const open = (endpoint: Endpoint, socket: WebSocket, request: FastifyRequest): HubClient => {
    sockets.add(socket);
    heartbeat.add(socket);
    const client = hub.connect(endpoint, socket);
    const log = request.log.child({ endpoint, client: client.id });
    log.debug('websocket client connected');
    // A ping is a message too: ws answers each with a pong, so a ping flood counts against the rate.
    socket.on('ping', () => client.admit());
    socket.on('close', (code) => {
      sockets.delete(socket);
      heartbeat.delete(socket);
      hub.disconnect(client);
      log.debug({ code }, 'websocket client disconnected');
    });
    client.send({ type: 'hello', endpoint, instance, heartbeatMs });
    return client;
  };

  /** The message's text, or the error the client is told (too long, binary). */
  const textOf = (data: RawData, isBinary: boolean): string | { error: string } => {
    const bytes = Array.isArray(data) ? data.reduce((sum, part) => sum + part.length, 0) : data.byteLength;
    if (bytes > maxMessageBytes) return { error: `message too long: ${bytes} bytes, at most ${maxMessageBytes}` };
    if (isBinary) return { error: 'binary frames are not accepted: send JSON text' };
    return Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
  };

  const upgradeRequired = async (_request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    await reply
      .code(426)
      .header('upgrade', 'websocket')
      .type('application/problem+json')
      .send({ type: 'https://tickflow.dev/problems/426', title: 'Upgrade Required', status: 426, detail: 'this is a WebSocket endpoint; see src/notify/PROTOCOL.md' });
  };

  app.route({
    method: 'GET',
    url: '/ws/notifications',
    onRequest: authorize,
    schema: { hide: true },
    handler: upgradeRequired,
    wsHandler: (socket, request) => {
      const client = open('notifications', socket, request);
      socket.on('message', () => {
        heartbeat.seen(socket);
        if (!client.admit()) return;
        client.send({ type: 'error', message: '/ws/notifications takes no messages; subscriptions are on /ws/stream' });
      });
    },
  });

  app.route({
    method: 'GET',
    url: '/ws/stream',
    onRequest: authorize,
    schema: { hide: true },
    handler: upgradeRequired,
    wsHandler: (socket, request) => {
      const client = open('stream', socket, request);
      socket.on('message', (data, isBinary) => {
        heartbeat.seen(socket);
        if (!client.admit()) return;
        const text = textOf(data, isBinary);
        if (typeof text !== 'string') return client.send({ type: 'error', message: text.error });
        const op = parseClientMessage(text);
        if (typeof op === 'string') return client.send({ type: 'error', message: op });
        if (op.op === 'subscribe') {
          const added = client.subscribe(op.symbols, op.channels);
          if (typeof added === 'string') return client.send({ type: 'error', message: added });
          client.send({ type: 'subscribed', added, removed: {}, symbols: client.symbols });
        } else {
          client.send({ type: 'subscribed', added: {}, removed: client.unsubscribe(op.symbols, op.channels), symbols: client.symbols });
        }
      });
    },
  });
};

/** Closes every socket with 1001; terminates those still open after `timeoutMs`. */
async function closeAll(sockets: ReadonlySet<WebSocket>, timeoutMs: number): Promise<void> {
  const open = [...sockets];
  const closed = open.map(
    (socket) =>
      new Promise<void>((resolve) => {
        if (socket.readyState === socket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close(GOING_AWAY, 'server shutting down');
      }),
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  await Promise.race([Promise.all(closed), timeout]);
  clearTimeout(timer);
  for (const socket of open) if (socket.readyState !== socket.CLOSED) socket.terminate();
  await Promise.all(closed);
}
