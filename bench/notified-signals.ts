import { WebSocket } from 'ws';
import type { TradingSignal } from '../src/model/signal.ts';
import { within, type MeasuringWindow } from './measuring-window.ts';

export interface NotifiedSignal {
  readonly signal: TradingSignal;
  /** When this process read it off the socket (Unix ms, the clock tickflow stamps with). */
  readonly at: number;
}

/**
 * The signals `/ws/notifications` delivers within `window`, each with its arrival time. The token
 * travels as the `bearer.<token>` subprotocol, as the dashboard sends it.
 */
export async function notifiedSignals(wsBase: string, token: string, window: MeasuringWindow): Promise<NotifiedSignal[]> {
  const socket = new WebSocket(`${wsBase}/ws/notifications`, ['tickflow.v1', `bearer.${token}`]);
  const signals: NotifiedSignal[] = [];
  socket.on('message', (data: Buffer) => {
    const at = Date.now();
    const message = JSON.parse(data.toString()) as { readonly type: string };
    if (message.type === 'signal' && within(window, at)) signals.push({ signal: message as TradingSignal, at });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise((resolve) => setTimeout(resolve, window.to - Date.now()));
  if (socket.readyState !== WebSocket.OPEN) throw new Error('/ws/notifications closed before the measurement ended');
  socket.close();
  await closed;
  return signals;
}
