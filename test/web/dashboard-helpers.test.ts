import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

// Plain browser modules (web/js/, no types): imported by URL, so they are exactly what the page runs.
const { ConfirmStep } = await import(new URL('../../web/js/confirm.js', import.meta.url).href);
const { describeLag } = await import(new URL('../../web/js/format.js', import.meta.url).href);
const { asAdmin } = await import(new URL('../../web/js/admin-token.js', import.meta.url).href);

/** Timers driven by hand: `fire()` runs the pending one. */
function manualTimers() {
  let pending: { run: () => void; ms: number } | null = null;
  return {
    setTimeout: (run: () => void, ms: number) => {
      pending = { run, ms };
      return pending;
    },
    clearTimeout: (timer: unknown) => {
      if (timer === pending) pending = null;
    },
    get pending() {
      return pending;
    },
    fire() {
      const timer = pending;
      pending = null;
      timer?.run();
    },
  };
}

describe('ConfirmStep (delete asks "sure?" instead of a dialog)', () => {
  it('confirms on the second press of the same key while armed, and disarms after', () => {
    const timers = manualTimers();
    const changes: unknown[] = [];
    const step = new ConfirmStep({ ms: 3000, onChange: (key: unknown) => changes.push(key), timers });
    assert.equal(step.press('a'), false);
    assert.equal(step.armed, 'a');
    assert.equal(timers.pending?.ms, 3000);
    assert.equal(step.press('a'), true);
    assert.equal(step.armed, null);
    assert.equal(timers.pending, null, 'the timer is cleared');
    assert.deepEqual(changes, ['a', null]);
  });

  it('disarms by itself when the time is up: the next press only arms again', () => {
    const timers = manualTimers();
    const step = new ConfirmStep({ timers });
    step.press('a');
    timers.fire();
    assert.equal(step.armed, null);
    assert.equal(step.press('a'), false);
  });

  it('a press of another key arms that one instead', () => {
    const timers = manualTimers();
    const step = new ConfirmStep({ timers });
    step.press('a');
    assert.equal(step.press('b'), false);
    assert.equal(step.armed, 'b');
    assert.equal(step.press('a'), false);
    assert.equal(step.press('a'), true);
  });
});

describe('describeLag (the stream-lagging notice)', () => {
  it('counts the skipped trades', () => {
    assert.equal(describeLag(1234), 'lagging · 1,234 trades skipped');
    assert.equal(describeLag(1), 'lagging · 1 trade skipped');
    assert.equal(describeLag(undefined), 'lagging · 0 trades skipped');
  });
});

/** A saved-token store in memory, and a request that only the admin token passes. */
function adminFixture(saved: string | null) {
  const store = { token: saved, saved: () => store.token, save: (token: string) => (store.token = token), forget: () => (store.token = null) };
  const sent: Array<string | undefined> = [];
  const request = async (token: string | undefined) => {
    sent.push(token);
    if (token === 'admin') return 'changed';
    throw Object.assign(new Error(token === 'reader' ? 'the read token does not grant changes' : 'the admin token is missing'), { status: token === 'reader' ? 403 : 401 });
  };
  return { store, sent, request };
}

describe('asAdmin (the dashboard\'s changes of alert rules)', () => {
  it('sends the saved token, asking nothing', async () => {
    const { store, sent, request } = adminFixture('admin');
    assert.equal(await asAdmin(request, async () => assert.fail('asked'), store), 'changed');
    assert.deepEqual(sent, ['admin']);
  });

  it('on a 401 or 403 forgets the token, asks with the server\'s reason, keeps the answer and tries again', async () => {
    const { store, sent, request } = adminFixture('reader');
    const asked: string[] = [];
    const answers = ['wrong', 'admin'];
    assert.equal(await asAdmin(request, async (detail: string) => (asked.push(detail), answers.shift()!), store), 'changed');
    assert.deepEqual(sent, ['reader', 'wrong', 'admin']);
    assert.deepEqual(asked, ['the read token does not grant changes', 'the admin token is missing']);
    assert.equal(store.token, 'admin');
  });

  it('gives up with the refusal when the user cancels; other errors pass untouched', async () => {
    const { store, request } = adminFixture(null);
    await assert.rejects(asAdmin(request, async () => null, store), { status: 401 });
    assert.equal(store.token, null);
    const failing = async () => {
      throw Object.assign(new Error('boom'), { status: 500 });
    };
    await assert.rejects(asAdmin(failing, async () => assert.fail('asked'), store), { message: 'boom' });
  });
});

describe('signal marker labels (text only where it fits)', async () => {
  const { fitLabels } = await import(new URL('../../web/js/marker-labels.js', import.meta.url).href);
  const { signalMarkers } = await import(new URL('../../web/js/chart.js', import.meta.url).href);
  const marker = (time: number, position = 'aboveBar', text = 'ma-crossover') => ({ time, position, shape: 'arrowDown', color: 'red', text });

  it('drops the text of markers too close to a newer label on the same side, keeps far ones and the other side', () => {
    // Candles 12 px apart; "ma-crossover" is about 84 px wide.
    const markers = [marker(1), marker(2), marker(3, 'belowBar'), marker(10), marker(11)];
    const { markers: fitted, room } = fitLabels(markers, (time: number) => time * 12);
    assert.deepEqual(fitted.map((m: { text: string }) => m.text), ['', 'ma-crossover', 'ma-crossover', '', 'ma-crossover']);
    assert.ok(room >= 6, `room ${room}`);
    assert.equal(fitted.length, markers.length, 'every marker stays');
  });

  it('keeps every label when they all fit, and those off screen', () => {
    const markers = [marker(1), marker(20), marker(40)];
    const { markers: fitted, room } = fitLabels(markers, (time: number) => (time === 1 ? null : time * 12));
    assert.deepEqual(fitted, markers);
    assert.equal(room, 20 * 12 - 84);
  });

  it('makes one marker per candle and side, naming each strategy once', () => {
    const book = { bucket: (ms: number) => Math.floor(ms / 1000) * 1000, has: () => true };
    const signal = (tsEvent: number, side: string, strategy: string) => ({ tsEvent, side, strategy, lineage: [] });
    const markers = signalMarkers([signal(1_100, 'sell', 'ma-crossover'), signal(1_500, 'sell', 'ma-crossover'), signal(1_700, 'sell', 'rsi'), signal(1_800, 'buy', 'rsi'), signal(2_100, 'sell', 'rsi')], book);
    assert.deepEqual(markers.map((m: { time: number; position: string; text: string }) => [m.time, m.position, m.text]), [
      [1, 'aboveBar', 'ma-crossover ×2 + rsi'],
      [1, 'belowBar', 'rsi'],
      [2, 'aboveBar', 'rsi'],
    ]);
  });
});
