import type { Config } from '../../config/config.ts';
import { NotificationHub } from '../../notify/notification-hub.ts';
import type { NotifyRouteOptions } from '../../notify/websocket-routes.ts';
import type { TickflowMetrics } from '../../observability/metrics.ts';

/** The notification service of this process: the hub the `notify` processor feeds, and its WebSocket routes' options. */
export function createNotifyServices(config: Config, metrics: TickflowMetrics): { hub: NotificationHub; routes: NotifyRouteOptions } {
  const hub = new NotificationHub({ buffer: config.wsBuffer, onDelivered: metrics.clientDelivered });
  metrics.watchClients(
    () => hub.stats(),
    () => hub.overload(),
  );
  return { hub, routes: { hub, token: config.wsToken, heartbeatMs: config.wsHeartbeatMs, instance: config.instanceId } };
}
