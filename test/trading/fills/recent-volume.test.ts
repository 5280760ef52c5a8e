import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RecentVolume } from '../../../src/trading/fills/recent-volume.ts';

const SECOND = 1000;

describe('the recent volume by price', () => {
  it('counts a print for at least the lookback and less than a bucket more, then forgets it', () => {
    const recent = new RecentVolume(60 * SECOND);
    assert.equal(recent.bucketMs, SECOND);
    recent.add(10_999, 100n, 5n);
    recent.add(11_000, 100n, 7n);
    recent.add(11_000, 101n, 1n);
    assert.equal(recent.at(100n), 12n);
    recent.add(70_999, 102n, 1n); // 60 s after the first print: both still count
    assert.equal(recent.at(100n), 12n);
    recent.add(71_000, 102n, 1n); // the first print's bucket left the window, the second's not
    assert.equal(recent.at(100n), 7n);
    recent.add(72_000, 102n, 1n);
    assert.equal(recent.at(100n), 0n);
    assert.equal(recent.at(101n), 0n);
    assert.equal(recent.at(102n), 3n);
  });

  it('keeps a late print in its own bucket while that bucket is in the window, and drops it after', () => {
    const recent = new RecentVolume(60 * SECOND);
    recent.add(100 * SECOND, 50n, 1n);
    recent.add(45 * SECOND, 50n, 2n); // 55 s late: in the window
    recent.add(39 * SECOND, 50n, 4n); // 61 s late: not counted
    assert.equal(recent.at(50n), 3n);
    recent.add(106 * SECOND, 51n, 1n); // the late print's bucket leaves, the first print's stays
    assert.equal(recent.at(50n), 1n);
  });

  it('holds buckets × prices, not prints: 600,000 prints a minute at a handful of prices are a few hundred entries', () => {
    const recent = new RecentVolume(60 * SECOND);
    for (let i = 0; i < 600_000; i++) recent.add(i / 10, BigInt(1000 + (i % 5)), 1n);
    assert.ok(recent.entries().length <= 61 * 5, `${recent.entries().length} entries`);
    assert.equal(recent.at(1000n), BigInt(recent.entries().filter(([, price]) => price === 1000n).reduce((sum, [, , size]) => sum + Number(size), 0)));
  });

  it('restores the same state from its entries, and the same state goes on the same way', () => {
    const original = new RecentVolume(60 * SECOND);
    const prints = Array.from({ length: 5_000 }, (_, i) => [i * 37, BigInt(100 + ((i * 7) % 11)), BigInt(1 + (i % 3))] as const);
    for (const [ts, price, size] of prints.slice(0, 2_500)) original.add(ts, price, size);
    const restored = new RecentVolume(60 * SECOND);
    for (const [ts, price, size] of original.entries()) restored.add(ts, price, size);
    assert.deepEqual(restored.entries(), original.entries());
    for (const [ts, price, size] of prints.slice(2_500)) {
      original.add(ts, price, size);
      restored.add(ts, price, size);
    }
    assert.deepEqual(restored.entries(), original.entries());
    for (let price = 100n; price <= 110n; price++) assert.equal(restored.at(price), original.at(price));
  });

  it('takes a sixtieth of a short lookback as its bucket, at least 1 ms', () => {
    assert.equal(new RecentVolume(600).bucketMs, 10);
    assert.equal(new RecentVolume(10).bucketMs, 1);
  });
});
