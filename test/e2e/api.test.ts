import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { freePort, startCli, type RunningCli } from '../support/cli.ts';
import { waitFor, within } from '../support/wait.ts';

let cli: RunningCli | undefined;
after(() => cli?.child.kill('SIGKILL'));

it('serves what flowed simulator → pipeline → store over the REST API, with provider fallback', async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  cli = startCli(['up'], {
    PORT: String(port),
    TICKFLOW_DATA_DIR: mkdtempSync(join(tmpdir(), 'tickflow-api-')),
    TICKFLOW_SYMBOLS: 'AAPL,OANDA:EUR_USD,BINANCE:BTCUSDT',
    TICKFLOW_SIM_RATE: '300',
    TICKFLOW_MA_WINDOWS: '1',
    TICKFLOW_PRICE_CACHE_MS: '0',
  });
  const get = async (path: string) => {
    const response = await fetch(base + path);
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
  };
  await waitFor(async () => (await fetch(`${base}/readyz`).catch(() => null))?.status === 200, 'ready', 60_000);
  await waitFor(async () => ((await get('/v1/bars?symbol=AAPL&interval=1s')).body.bars as unknown[]).length >= 2, 'stored 1 s bars', 30_000);

  // Every stored trade of AAPL exactly once across pages.
  const seen = new Set<string>();
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await get(`/v1/trades?symbol=AAPL&limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(page.status, 200);
    for (const trade of page.body.trades as Array<{ source: string; seq: number; symbol: string }>) {
      assert.equal(trade.symbol, 'AAPL');
      const id = `${trade.source}:${trade.seq}`;
      assert.ok(!seen.has(id), `trade ${id} on two pages`);
      seen.add(id);
    }
    cursor = page.body.nextCursor as string | null;
    pages++;
  } while (cursor && pages < 100);
  assert.ok(seen.size >= 25 && pages >= 2, `${seen.size} trades over ${pages} pages`);

  const symbols = (await get('/v1/symbols')).body;
  assert.equal((symbols.feed as { connected: boolean }).connected, true);
  const aapl = (symbols.symbols as Array<{ symbol: string; storedTrades: number; stale: boolean }>).find((symbol) => symbol.symbol === 'AAPL');
  assert.ok(aapl && aapl.storedTrades > 0 && !aapl.stale);

  const streamed = await get('/v1/prices/latest?symbol=AAPL');
  assert.equal(streamed.body.source, 'stream');
  // GOOGL is not subscribed: the simulator's Finnhub-compatible /quote answers, and is stored.
  const quoted = await get('/v1/prices/latest?symbol=GOOGL');
  assert.equal(quoted.status, 200);
  assert.equal(quoted.body.source, 'finnhub');
  assert.ok((quoted.body.price as number) > 0);
  assert.match(quoted.body.rawResponseId as string, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  const raw = await get(`/v1/raw-responses/${quoted.body.rawResponseId as string}`);
  assert.equal(raw.status, 200);
  assert.equal(raw.body.provider, 'finnhub');
  const unknown = await get('/v1/prices/latest?symbol=NOPE');
  assert.equal(unknown.status, 404);
  assert.match(unknown.headers.get('content-type') ?? '', /problem\+json/);

  // The price event reached the moving-average consumer, whose result is queryable.
  await waitFor(async () => ((await get('/v1/moving-averages?symbol=GOOGL&kind=SMA')).body.movingAverages as unknown[]).length > 0, 'a moving average of GOOGL', 20_000);
  const [average] = (await get('/v1/moving-averages?symbol=GOOGL&kind=SMA&window=1')).body.movingAverages as Array<{ value: number }>;
  assert.equal(average!.value, quoted.body.price);

  assert.equal((await get('/v1/metrics?symbol=AAPL')).body.type, 'window-metrics');
  cli.child.kill('SIGINT');
  assert.equal(await within(cli.exited, 30_000, 'shutdown'), 0);
});
