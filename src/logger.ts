import { pino, type DestinationStream, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';

export type { Logger };

/**
 * Query parameters and fields that carry secrets. A value in angle brackets (`?token=<token>`) is a
 * placeholder in a usage hint, never a secret: a real URL cannot hold a raw `<` (it is sent as `%3C`).
 */
const SECRET_PARAMS = /([?&](?:token|apikey|api_key|key|access_token)=)(?!<[^<>]*>)[^&#\s"']*/gi;
/** The password in a connection URL: postgres://user:secret@host/db. */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:)[^@\s]+@/gi;

/** Masks secrets in URLs and free text, e.g. `wss://ws.finnhub.io?token=abc` → `...?token=***`. */
export function redactSecrets(text: string): string {
  return text.replace(SECRET_PARAMS, '$1***').replace(URL_PASSWORD, '$1***@');
}

export const LOGGER_DEFAULTS = { level: 'info' } as const;

export interface LoggerOptions {
  /** Default `LOGGER_DEFAULTS.level`. */
  readonly level?: string;
  /** Log to this destination (file descriptor 2 = stderr by default, so stdout stays for data). */
  readonly destination?: number | string;
  /** Human-readable lines instead of JSON; default: when logging to a terminal. */
  readonly pretty?: boolean;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? LOGGER_DEFAULTS.level,
      redact: {
        paths: ['token', 'apiKey', 'apikey', '*.token', '*.apiKey', '*.apikey', 'headers.authorization', '*.headers.authorization', 'headers["sec-websocket-protocol"]', '*.headers["sec-websocket-protocol"]', 'headers["apca-api-secret-key"]', '*.headers["apca-api-secret-key"]', 'config.finnhubApiKey', 'config.alphaVantageApiKey', 'config.databaseUrl', 'config.wsToken', 'config.adminToken', 'adminToken', '*.adminToken', 'config.apiReadToken', 'readToken', '*.readToken'],
        censor: '***',
      },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => (typeof arg === 'string' ? redactSecrets(arg) : arg)) as Parameters<typeof method>);
        },
      },
      formatters: {
        log(object) {
          for (const [key, value] of Object.entries(object)) if (typeof value === 'string') object[key] = redactSecrets(value);
          return object;
        },
      },
    },
    destinationFor(options),
  );
}

function destinationFor(options: LoggerOptions): DestinationStream {
  const dest = options.destination ?? 2;
  const pretty = options.pretty ?? (dest === 2 && process.stderr.isTTY === true);
  return pretty ? PinoPretty({ destination: dest, sync: true, colorize: true, ignore: 'pid,hostname' }) : pino.destination({ dest, sync: true });
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
