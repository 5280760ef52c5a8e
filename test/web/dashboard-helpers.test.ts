import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

// Plain browser modules (web/js/, no types): imported by URL, so they are exactly what the page runs.
const { ConfirmStep } = await import(new URL('../../web/js/confirm.js', import.meta.url).href);
const { describeLag } = await import(new URL('../../web/js/format.js', import.meta.url).href);

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
