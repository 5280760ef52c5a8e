import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accountRequest as createRequest } from '../../src/cli/commands/account-options.ts';
import { buildProgram } from '../../src/cli/program.ts';

const NONE = { json: false, regulatoryFees: false, fill: [] } as const;

describe('tickflow accounts create: options to the request', () => {
  it('sends what was given, in the request’s names, and leaves the rest to the defaults', () => {
    assert.deepEqual(createRequest({ ...NONE }), {});
    assert.deepEqual(createRequest({ ...NONE, cash: '100000', type: 'margin', multiplier: '4', fees: 'per-share', regulatoryFees: true, fill: ['latency_ms=200', 'participation=0.1'], settlementSessions: '2' }), {
      cash: '100000', type: 'margin', multiplier: 4, fees: 'per-share', regulatory_fees: true, fills: { latency_ms: 200, participation: 0.1 }, settlement_sessions: 2,
    });
    assert.deepEqual(createRequest({ ...NONE, fees: 'percent', makerBps: '10', takerBps: '20' }), { fees: { model: 'percent', maker_bps: '10', taker_bps: '20' } });
    assert.deepEqual(createRequest({ ...NONE, fees: 'per-share', perShare: '0.01' }), { fees: { model: 'per-share', per_share: '0.01' } });
  });

  it('refuses wrong options before asking anyone, naming them (exit 2)', () => {
    const refused = (options: Parameters<typeof createRequest>[0], message: RegExp) =>
      assert.throws(() => createRequest(options), (error: Error & { code?: string }) => error.code === 'TICKFLOW_USAGE' && message.test(error.message));
    refused({ ...NONE, cash: '10.001' }, /^cash must be a number > 0/);
    refused({ ...NONE, type: 'cash', multiplier: '2' }, /^multiplier applies to margin accounts only/);
    refused({ ...NONE, makerBps: '10' }, /^fee parameters need --fees per-share or --fees percent/);
    refused({ ...NONE, fees: 'percent', makerBps: '10' }, /^fees.taker_bps is required/);
    refused({ ...NONE, fill: ['latency_ms'] }, /^--fill takes name=value/);
    refused({ ...NONE, fill: ['latency=5'] }, /^--fill latency is not a known field/);
    refused({ ...NONE, fill: ['participation=2'] }, /^--fill participation must be a number > 0 and ≤ 1/);
  });

  it('is registered with its subcommands, options and examples', () => {
    const accounts = buildProgram().commands.find((command) => command.name() === 'accounts');
    assert.ok(accounts);
    assert.deepEqual(accounts.commands.map((command) => command.name()), ['create', 'list', 'reset']);
    const create = accounts.commands[0]!;
    for (const flag of ['--cash', '--type', '--multiplier', '--fees', '--fill', '--url', '--json']) assert.ok(create.options.some((option) => option.long === flag), flag);
  });
});
