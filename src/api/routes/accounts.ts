import type { FastifyPluginAsync } from 'fastify';
import { ConfigError } from '../../errors.ts';
import { ACCOUNT_ID_PATTERN } from '../../model/account.ts';
import { FILL_FIELDS, validateAccountRequest } from '../../model/account-request.ts';
import type { AccountListing, TradingGateway } from '../../trading/gateway.ts';
import { HttpProblem } from '../problem.ts';
import { ERROR_RESPONSES, PROBLEM_SCHEMA } from '../schemas.ts';

export interface AccountRouteOptions {
  readonly gateway: Pick<TradingGateway, 'createAccount' | 'resetAccount' | 'accounts' | 'account'>;
}

/** A decimal string or a JSON number. */
const DECIMAL = { anyOf: [{ type: 'string' }, { type: 'number' }] } as const;

/** For the OpenAPI document and the first check; validateAccountRequest names what is wrong inside. */
const CREATE_BODY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    cash: { ...DECIMAL, description: 'starting cash, USD, > 0, at most 2 decimals (default 100000)' },
    type: { type: 'string', enum: ['cash', 'margin'], description: 'default margin' },
    multiplier: { type: 'integer', minimum: 1, maximum: 4, description: 'margin accounts only (default 2)' },
    fees: {
      description: '"zero" (default), "per-share" (0.005 a share, at least 1, at most 1 % of the value, per order), or {model, ...parameters}',
      anyOf: [
        { type: 'string', enum: ['zero', 'per-share'] },
        {
          type: 'object',
          required: ['model'],
          properties: { model: { type: 'string', enum: ['zero', 'per-share', 'percent'] }, per_share: DECIMAL, minimum: DECIMAL, maximum_percent: DECIMAL, maker_bps: DECIMAL, taker_bps: DECIMAL },
        },
      ],
    },
    regulatory_fees: { type: 'boolean', description: 'SEC and FINRA TAF fees on sales of US equities (2024 rates); default false' },
    fills: { type: 'object', description: 'the fill model (src/trading/fills/README.md); what is left out keeps its default', properties: Object.fromEntries(Object.keys(FILL_FIELDS).map((field) => [field, field === 'queue_ahead_min_qty' ? DECIMAL : { type: 'number' }])) },
    settlement_sessions: { type: 'integer', description: 'cash accounts: sessions until sale proceeds settle (default 1)' },
  },
} as const;

const ENTRY_PROPERTIES = {
  id: { type: 'string' },
  type: { type: 'string', enum: ['cash', 'margin'] },
  multiplier: { type: 'string' },
  cash: { type: 'string' },
  equity: { type: 'string' },
  buying_power: { type: 'string' },
  open_orders: { type: 'integer' },
  created_at: { type: 'string', format: 'date-time' },
} as const;

const ENTRY_SCHEMA = { type: 'object', properties: ENTRY_PROPERTIES } as const;
const CREATED_SCHEMA = {
  type: 'object',
  properties: { ...ENTRY_PROPERTIES, api_key_id: { type: 'string', description: 'APCA-API-KEY-ID' }, secret: { type: 'string', description: 'APCA-API-SECRET-KEY: shown this once, only its hash is kept' } },
} as const;
const ID_PARAMS = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: ACCOUNT_ID_PATTERN.source } } } as const;
const ADMIN = { tags: ['accounts'] } as const;

/**
 * Paper-account administration: `POST /v1/accounts` (an account and its first API key; the secret is
 * in this answer only), `GET /v1/accounts`, `POST /v1/accounts/:id/reset`. Every route needs the
 * admin token (plugins/api-auth.ts), checked before the body is read; the listing too.
 */
export const accountAdminRoutes: FastifyPluginAsync<AccountRouteOptions> = async (app, { gateway }) => {
  app.post('/v1/accounts', { schema: { ...ADMIN, summary: 'Create a paper account with its first API key', body: CREATE_BODY, response: { 201: CREATED_SCHEMA, 422: PROBLEM_SCHEMA, ...ERROR_RESPONSES } } }, async (request, reply) => {
    const config = validateAccountRequest(request.body);
    if (typeof config === 'string') throw new HttpProblem(422, 'Unprocessable Content', config);
    const credentials = await gateway.createAccount(config).catch((error: unknown) => {
      // The engine's own refusal of a configuration (nothing stored): the caller's to fix, never a 500.
      throw error instanceof ConfigError ? new HttpProblem(422, 'Unprocessable Content', error.message) : error;
    });
    const listing = await listingOf(gateway, credentials.accountId);
    return reply.code(201).header('location', `/v1/accounts/${credentials.accountId}`).send({ ...entry(listing), api_key_id: credentials.keyId, secret: credentials.secret });
  });

  app.get('/v1/accounts', { config: { access: 'admin' }, schema: { ...ADMIN, summary: 'Every paper account, oldest first', response: { 200: { type: 'object', properties: { accounts: { type: 'array', items: ENTRY_SCHEMA } } }, ...ERROR_RESPONSES } } }, async () => {
    const accounts = [...(await gateway.accounts())].sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : 1));
    return { accounts: accounts.map(entry) };
  });

  app.post<{ Params: { id: string } }>(
    '/v1/accounts/:id/reset',
    { schema: { ...ADMIN, summary: 'Reset an account to its starting cash: no positions, no open orders; its API keys stay', params: ID_PARAMS, response: { 200: ENTRY_SCHEMA, 422: PROBLEM_SCHEMA, ...ERROR_RESPONSES } } },
    async (request) => {
      const { id } = request.params;
      if ((await gateway.account(id)) === null) throw new HttpProblem(404, 'Not Found', `no account ${id}`);
      const result = await gateway.resetAccount(id);
      if (!result.ok) throw result.code === 'not_found' ? new HttpProblem(404, 'Not Found', result.message) : new HttpProblem(422, 'Unprocessable Content', result.message);
      return entry(await listingOf(gateway, id));
    },
  );
};

function entry(account: AccountListing): Record<string, unknown> {
  return {
    id: account.id,
    type: account.account_type,
    multiplier: account.multiplier,
    cash: account.cash,
    equity: account.equity,
    buying_power: account.buying_power,
    open_orders: account.open_orders,
    created_at: new Date(account.created_at).toISOString(),
  };
}

async function listingOf(gateway: AccountRouteOptions['gateway'], id: string): Promise<AccountListing> {
  const listing = (await gateway.accounts()).find((account) => account.id === id);
  if (!listing) throw new HttpProblem(404, 'Not Found', `no account ${id}`);
  return listing;
}
