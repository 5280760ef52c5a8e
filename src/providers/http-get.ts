/** What a classifier needs from an HTTP answer. */
export interface HttpExchange {
  readonly status: number;
  readonly headers: Pick<Headers, 'get'>;
  readonly body: string;
}

/** A provider's HTTP answer, read in full (bounded). */
export interface HttpAnswer extends HttpExchange {
  readonly ok: true;
}

/** No HTTP answer: network error, timeout, abort, or a body over the size limit. `reason` names no URL. */
export interface HttpNoAnswer {
  readonly ok: false;
  readonly reason: string;
}

export interface HttpGetOptions {
  readonly headers?: Readonly<Record<string, string>>;
  /** Covers the whole exchange, body included: a server that stops mid-body times out too. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Default 1 MiB; a quote is a few hundred bytes. */
  readonly maxBodyBytes?: number;
}

const DEFAULT_MAX_BODY_BYTES = 1_048_576;

/**
 * GET `url` and read the body as text. Never rejects. Redirects are not followed (`redirect:
 * 'manual'`): fetch keeps custom headers such as `X-Finnhub-Token` across a cross-origin redirect, and
 * neither provider redirects its API, so a 3xx comes back as an answer for the caller to refuse.
 */
export async function httpGet(url: URL, options: HttpGetOptions): Promise<HttpAnswer | HttpNoAnswer> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const response = await fetch(url, { headers: options.headers, signal, redirect: 'manual' });
    const body = await readBounded(response, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    if (body === null) return { ok: false, reason: `response body over ${options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES} bytes` };
    return { ok: true, status: response.status, headers: response.headers, body };
  } catch (error) {
    if (timeout.aborted) return { ok: false, reason: `timed out after ${options.timeoutMs} ms` };
    if (options.signal?.aborted) return { ok: false, reason: 'aborted' };
    return { ok: false, reason: `network error: ${describe(error)}` };
  }
}

async function readBounded(response: Response, maxBytes: number): Promise<string | null> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    text += decoder.decode(value, { stream: true });
  }
}

/** `fetch failed (ECONNREFUSED)`: undici's message plus the cause's code, without the address or URL. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const code = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : null;
  return code ? `${error.message} (${code})` : error.message;
}
