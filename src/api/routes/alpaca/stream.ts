import { EventEmitter } from 'node:events';
import websocket from '@fastify/websocket';
import type { FastifyPluginAsync } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import type { TradingGateway } from '../../../trading/gateway.ts';
import type { TradingRouteOptions } from './options.ts';
import { alpacaTradeUpdate } from './serialize.ts';

/** Alpaca's trading stream speaks JSON in text frames (the SDK's TradingStream uses its `json` codec). */
const MAX_MESSAGE_BYTES = 16 * 1024;
const POLICY_VIOLATION = 1008;
const GOING_AWAY = 1001;
const TRY_AGAIN_LATER = 1013;
/** Unsent bytes past which a client that does not read is closed rather than buffered without end. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

interface Frame {
  readonly action?: unknown;
  readonly data?: unknown;
}

function parseFrame(raw: RawData): Frame | null {
  try {
    const value: unknown = JSON.parse(Buffer.isBuffer(raw) ? raw.toString('utf8') : Buffer.concat(raw as Buffer[]).toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Frame) : null;
  } catch {
    return null;
  }
}

const field = (data: unknown, name: string): unknown => (typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[name] : undefined);

/**
 * One client of `/stream`: `authenticate` with key id and secret, then `listen` to `trade_updates`;
 * the account's updates follow, in order, until the socket closes.
 */
function serveClient(socket: WebSocket, gateway: TradingGateway): void {
  let accountId: string | null = null;
  let unsubscribe: (() => void) | null = null;
  const send = (payload: unknown) => {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      socket.close(TRY_AGAIN_LATER, 'too slow: reconnect and reconcile with GET /v2/orders');
      return;
    }
    socket.send(JSON.stringify(payload));
  };
  const error = (message: string) => send({ action: 'error', data: { error_message: message } });

  socket.on('message', (raw: RawData) => {
    const frame = parseFrame(raw);
    if (!frame) return error('messages must be JSON objects');
    if (frame.action === 'authenticate' || frame.action === 'auth') {
      const keyId = field(frame.data, 'key_id') ?? field(frame, 'key');
      const secret = field(frame.data, 'secret_key') ?? field(frame, 'secret');
      const check = typeof keyId === 'string' && typeof secret === 'string' ? gateway.authenticate(keyId, secret) : Promise.resolve(null);
      void check.then(
        (account) => {
          if (account === null) {
            send({ stream: 'authorization', data: { status: 'unauthorized', action: 'authenticate' } });
            socket.close(POLICY_VIOLATION, 'unauthorized');
            return;
          }
          accountId = account;
          send({ stream: 'authorization', data: { status: 'authorized', action: 'authenticate' } });
        },
        () => socket.close(1011, 'authentication failed'),
      );
      return;
    }
    if (frame.action === 'listen') {
      if (accountId === null) return error('authenticate first');
      const streams = field(frame.data, 'streams');
      if (!Array.isArray(streams)) return error('listen needs data.streams, e.g. ["trade_updates"]');
      const wantsUpdates = streams.includes('trade_updates');
      if (wantsUpdates && !unsubscribe) {
        unsubscribe = gateway.subscribe(accountId, (update) => send({ stream: 'trade_updates', data: alpacaTradeUpdate(update) }));
      } else if (!wantsUpdates && unsubscribe) {
        unsubscribe();
        unsubscribe = null;
      }
      send({ stream: 'listening', data: { streams: wantsUpdates ? ['trade_updates'] : [] } });
      return;
    }
    error(`unknown action ${JSON.stringify(frame.action)}: use authenticate or listen`);
  });
  socket.on('close', () => unsubscribe?.());
}

/** Alpaca's trade-updates WebSocket at `/stream`. */
export const streamRoutes: FastifyPluginAsync<TradingRouteOptions> = async (app, options) => {
  const sockets = new Set<WebSocket>();
  await app.register(websocket, {
    // Another instance already routes this server's upgrades (see TradingRouteOptions): listen on nothing.
    options: { maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false, ...(options.upgradesRoutedElsewhere ? { server: new EventEmitter() as never } : {}) },
    errorHandler: (error, socket, request) => {
      request.log.info({ err: error }, 'trading stream client error; closing it');
      socket.terminate();
    },
    preClose: async () => {
      for (const socket of sockets) socket.close(GOING_AWAY, 'server shutting down');
      await new Promise((resolve) => setTimeout(resolve, sockets.size > 0 ? 100 : 0));
      for (const socket of sockets) socket.terminate();
    },
  });
  app.get('/stream', { websocket: true, schema: { hide: true } }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serveClient(socket, options.gateway);
  });
};
