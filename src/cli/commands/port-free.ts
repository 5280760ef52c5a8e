import { createServer } from 'node:net';
import { ERROR_CODES, TickflowError } from '../../errors.ts';

/** Refuses to start when `host:port` is taken, before the pipeline ingests anything or locks the store. */
export async function ensurePortFree(host: string, port: number): Promise<void> {
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port, exclusive: true }, resolve);
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'EADDRINUSE' ? 'is already in use' : `cannot be listened on (${code ?? (error as Error).message})`;
    throw new TickflowError(ERROR_CODES.CONFIG_INVALID, `PORT ${port} on ${host} ${reason}: stop what holds it, or set PORT to another port`, { cause: error });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}
