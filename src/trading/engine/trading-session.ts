import type { EngineCore } from './engine-core.ts';
import type { SessionPhase } from './market-calendar.ts';
import type { WorkingOrder } from './working-order.ts';

/** Regular session only, unless the order is an extended-hours one (Alpaca's rule). */
export function tradesIn(order: WorkingOrder, phase: SessionPhase): boolean {
  return phase === 'regular' || (order.extendedHours && (phase === 'pre' || phase === 'post'));
}

/** Each market's phase at `ts`, asked of the calendar once per market. */
export function phasesAt(core: EngineCore, ts: number): (market: string) => SessionPhase {
  const phases = new Map<string, SessionPhase>();
  return (market) => {
    let phase = phases.get(market);
    if (phase === undefined) phases.set(market, (phase = core.calendar.phase(market, ts)));
    return phase;
  };
}
