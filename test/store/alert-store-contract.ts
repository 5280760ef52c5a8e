import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AlertCondition, AlertFiring, AlertRule } from '../../src/model/alert.ts';
import type { ManualClock } from '../../src/clock.ts';
import type { AlertState, AlertStore } from '../../src/store/alert-store.ts';
import type { SqlStore } from '../../src/store/sql-store.ts';
import { STORE_ERROR_CODES } from '../../src/store/store-error.ts';

const T0 = Date.UTC(2026, 10, 23, 15, 0);

export function firingOf(rule: AlertRule, crossing: number, fields: Partial<AlertFiring> = {}): AlertFiring {
  return {
    type: 'alert',
    id: `${rule.id}:${crossing}`,
    ruleId: rule.id,
    symbol: rule.symbol,
    condition: rule.condition,
    price: 190.02,
    message: `${rule.symbol} crossed`,
    note: rule.note,
    tsEvent: T0 + crossing,
    tsRecv: T0 + crossing + 4,
    ...fields,
  };
}

export function stateOf(rule: AlertRule, fields: Partial<AlertState> = {}): AlertState {
  return { ruleId: rule.id, condition: rule.condition, armed: false, crossings: 1, lastPrice: 190.02, lastTsEvent: T0, updatedAt: T0, ...fields };
}

async function rejectsWith(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: Error & { code?: string }) => {
    assert.equal(error.code, code, error.message);
    assert.match(error.message, message);
    return true;
  });
}

/** The alert part of the store contract; runs inside `storeContract` against PGlite and PostgreSQL. */
export function alertStoreContract(store: () => SqlStore): void {
  describe('alerts', () => {
    const above: AlertCondition = { kind: 'price-above', threshold: 190 };

    it('creates, reads, lists, updates and deletes rules', async () => {
      const created = await store().createAlertRule({ symbol: 'AL:ONE', condition: above, note: 'breakout' });
      assert.match(created.id, /^[0-9a-f-]{36}$/);
      assert.deepEqual({ ...created, id: 'x', createdAt: 0, updatedAt: 0 }, { id: 'x', symbol: 'AL:ONE', condition: above, note: 'breakout', enabled: true, createdAt: 0, updatedAt: 0 });
      assert.ok(Number.isSafeInteger(created.createdAt) && created.updatedAt === created.createdAt);
      assert.deepEqual(await store().getAlertRule(created.id), created);

      const move: AlertCondition = { kind: 'move-pct', percent: 2.5, windowMs: 60_000 };
      const second = await store().createAlertRule({ symbol: 'AL:ONE', condition: move, enabled: false });
      const other = await store().createAlertRule({ symbol: 'AL:TWO', condition: { kind: 'stale', afterMs: 30_000 } });
      assert.equal(second.note, null);
      assert.deepEqual((await store().listAlertRules({ symbol: 'AL:ONE' })).map((r) => r.id), [created.id, second.id]);
      assert.deepEqual((await store().listAlertRules({ symbol: 'AL:ONE', enabled: true })).map((r) => r.id), [created.id]);
      assert.ok((await store().listAlertRules()).some((r) => r.id === other.id));

      const below: AlertCondition = { kind: 'price-below', threshold: 0.000123456789 };
      const updated = await store().updateAlertRule(second.id, { enabled: true, condition: below });
      assert.deepEqual({ enabled: updated?.enabled, condition: updated?.condition, note: updated?.note }, { enabled: true, condition: below, note: null });
      assert.ok(updated!.updatedAt >= second.updatedAt);
      const noted = await store().updateAlertRule(second.id, { note: 'watch' });
      assert.deepEqual({ enabled: noted?.enabled, condition: noted?.condition, note: noted?.note }, { enabled: true, condition: below, note: 'watch' });
      assert.equal((await store().updateAlertRule(second.id, { note: null }))?.note, null);

      assert.equal(await store().deleteAlertRule(second.id), true);
      assert.equal(await store().deleteAlertRule(second.id), false);
      assert.equal(await store().getAlertRule(second.id), null);
      assert.equal(await store().updateAlertRule(second.id, { enabled: false }), null);
      assert.equal(await store().getAlertRule('no-such-rule'), null);
      assert.equal(await store().getAlertRule('a\0b'), null);
    });

    it('refuses rules it cannot evaluate, naming the field', async () => {
      const cases: Array<[unknown, RegExp]> = [
        [{ symbol: 'AAPL', condition: { kind: 'price-above', threshold: 0 } }, /condition\.threshold must be a positive finite number/],
        [{ symbol: 'AAPL', condition: { kind: 'price-below', threshold: Number.POSITIVE_INFINITY } }, /condition\.threshold/],
        [{ symbol: 'AAPL', condition: { kind: 'move-pct', percent: 0, windowMs: 60_000 } }, /condition\.percent must be a number > 0/],
        [{ symbol: 'AAPL', condition: { kind: 'move-pct', percent: 1, windowMs: 999 } }, /condition\.windowMs must be an integer from 1000 to 3600000/],
        [{ symbol: 'AAPL', condition: { kind: 'move-pct', percent: 1, windowMs: 1_500.5 } }, /condition\.windowMs/],
        [{ symbol: 'AAPL', condition: { kind: 'stale', afterMs: 86_400_001 } }, /condition\.afterMs must be an integer from 1000 to 86400000/],
        [{ symbol: 'AAPL', condition: { kind: 'volume', threshold: 1 } }, /condition\.kind must be one of price-above, price-below, move-pct, stale/],
        [{ symbol: 'AAPL', condition: { kind: 'stale', afterMs: 5_000, threshold: 1 } }, /condition\.threshold is not a field of kind stale/],
        [{ symbol: 'AA PL', condition: above }, /symbol must be 1 to 40/],
        [{ symbol: 'AAPL', condition: above, note: 'x'.repeat(501) }, /note must be null or a string of at most 500/],
      ];
      for (const [input, message] of cases) {
        await rejectsWith(store().createAlertRule(input as never), STORE_ERROR_CODES.INVALID_RECORD, message);
      }
      const rule = await store().createAlertRule({ symbol: 'AL:BAD', condition: above });
      await rejectsWith(store().updateAlertRule(rule.id, { condition: { kind: 'stale', afterMs: 10 } }), STORE_ERROR_CODES.INVALID_RECORD, /condition\.afterMs/);
      assert.deepEqual((await store().getAlertRule(rule.id))?.condition, above, 'a refused change changes nothing');
      await rejectsWith(store().listAlertRules({ symbol: '' }), STORE_ERROR_CODES.INVALID_QUERY, /symbol/);
      await rejectsWith(store().listFirings({ limit: 0 }), STORE_ERROR_CODES.INVALID_QUERY, /limit must be an integer from 1 to 10000/);
    });

    it('records firings and states in one transaction, idempotently', async () => {
      const rule = await store().createAlertRule({ symbol: 'AL:REC', condition: above, note: 'n' });
      const first = firingOf(rule, 1, { price: 190.000000001 });
      assert.deepEqual(await store().recordFirings([first], [stateOf(rule)]), { firings: 1, states: 1 });
      // Redelivered after a crash: the same firing again, and a newer one.
      const second = firingOf(rule, 2);
      const result = await store().recordFirings([first, second, second], [stateOf(rule, { crossings: 1, armed: true }), stateOf(rule, { crossings: 2 })]);
      assert.equal(result.firings, 1, 'only the second crossing is new');
      assert.deepEqual(await store().listFirings({ ruleId: rule.id }), [second, first], 'newest first, read back exactly');
      assert.deepEqual(await store().loadAlertStates([rule.id]), [stateOf(rule, { crossings: 2 })], 'the last state given for a rule wins');

      // A stale writer cannot move a state back to fewer crossings.
      await store().recordFirings([], [stateOf(rule, { crossings: 1, armed: true })]);
      assert.equal((await store().loadAlertStates([rule.id]))[0]?.crossings, 2);
      assert.deepEqual((await store().loadAlertStates()).filter((s) => s.ruleId === rule.id).length, 1);
      assert.deepEqual(await store().loadAlertStates([]), []);
      assert.deepEqual(await store().recordFirings([], []), { firings: 0, states: 0 });
    });

    it('stores nothing of a batch holding something it cannot store', async () => {
      const rule = await store().createAlertRule({ symbol: 'AL:ATOM', condition: above });
      await rejectsWith(
        store().recordFirings([firingOf(rule, 1), { ...firingOf(rule, 2), tsEvent: 1.5 }], [stateOf(rule)]),
        STORE_ERROR_CODES.INVALID_RECORD,
        /firings\[1\] cannot be stored: tsEvent and tsRecv must be integer times/,
      );
      await rejectsWith(store().recordFirings([firingOf(rule, 1)], [{ ...stateOf(rule), crossings: -1 }]), STORE_ERROR_CODES.INVALID_RECORD, /states\[0\].*crossings/);
      assert.deepEqual(await store().listFirings({ ruleId: rule.id }), []);
      assert.deepEqual(await store().loadAlertStates([rule.id]), []);
    });

    it('keeps firings of a deleted rule, drops its state and accepts its redelivered firings', async () => {
      const rule = await store().createAlertRule({ symbol: 'AL:DEL', condition: { kind: 'stale', afterMs: 5_000 } });
      await store().recordFirings([firingOf(rule, 1, { price: null })], [stateOf(rule, { lastPrice: null, lastTsEvent: null })]);
      assert.equal(await store().deleteAlertRule(rule.id), true);
      assert.deepEqual(await store().loadAlertStates([rule.id]), []);
      const again = await store().recordFirings([firingOf(rule, 1, { price: null }), firingOf(rule, 2, { price: null })], [stateOf(rule, { crossings: 2 })]);
      assert.deepEqual(again, { firings: 1, states: 0 });
      assert.deepEqual((await store().listFirings({ ruleId: rule.id })).map((f) => [f.id, f.price]), [[`${rule.id}:2`, null], [`${rule.id}:1`, null]]);
    });

    it('lists firings by symbol and rule, newest first, with a limit', async () => {
      const a = await store().createAlertRule({ symbol: 'AL:LIST', condition: above });
      const b = await store().createAlertRule({ symbol: 'AL:LIST', condition: { kind: 'price-below', threshold: 100 } });
      const c = await store().createAlertRule({ symbol: 'AL:LIST2', condition: above });
      await store().recordFirings([firingOf(a, 1, { tsEvent: T0 + 10 }), firingOf(b, 1, { tsEvent: T0 + 30 }), firingOf(a, 2, { tsEvent: T0 + 20 })], []);
      // Same event time: the one recorded later comes first.
      await store().recordFirings([firingOf(c, 1, { tsEvent: T0 + 30 }), firingOf(b, 2, { tsEvent: T0 + 30 })], []);
      assert.deepEqual((await store().listFirings({ symbol: 'AL:LIST' })).map((f) => f.id), [`${b.id}:2`, `${b.id}:1`, `${a.id}:2`, `${a.id}:1`]);
      assert.deepEqual((await store().listFirings({ symbol: 'AL:LIST', ruleId: a.id, limit: 1 })).map((f) => f.id), [`${a.id}:2`]);
      assert.deepEqual((await store().listFirings({ symbol: 'AL:LIST2', ruleId: a.id })), []);
      assert.equal((await store().listFirings({ limit: 2 })).length, 2);
    });
  });
}

/** A store opened with `clock` stamps its alert rules' creation and update with that clock's time. */
export async function alertRuleTimesFollow(store: AlertStore, clock: ManualClock): Promise<void> {
  clock.advanceTo(T0);
  const created = await store.createAlertRule({ symbol: 'AL:CLOCK', condition: { kind: 'price-above', threshold: 1 } });
  assert.deepEqual([created.createdAt, created.updatedAt], [T0, T0]);
  clock.advanceTo(T0 + 60_000);
  const updated = await store.updateAlertRule(created.id, { enabled: false });
  assert.deepEqual([updated?.createdAt, updated?.updatedAt], [T0, T0 + 60_000]);
}
