import { maxFixed, mulFixed } from '../../model/fixed-point.ts';

/**
 * The queue ahead of a limit order joining its price level: `factor` × the volume printed at that price
 * in the lookback before the order became active, at least `minQty`. Without quotes the displayed size
 * is unknown; a level that traded much lately has a deep queue, and a new order joins at its back.
 */
export function estimateQueueAhead(volumeAtPrice: bigint, factorFixed: bigint, minQty: bigint): bigint {
  return maxFixed(mulFixed(volumeAtPrice, factorFixed, 'ceil'), minQty);
}

/**
 * The part of a print at the limit that reaches the order: what is left of the print once the queue
 * ahead (less what earlier prints at the price since activation already took off it) is served.
 * Prints without sizes never reach it: with no volume there is no way to know the queue was served.
 */
export function sizeBeyondQueue(queueAhead: bigint, printedBefore: bigint, size: bigint): bigint {
  const queueLeft = queueAhead > printedBefore ? queueAhead - printedBefore : 0n;
  return size > queueLeft ? size - queueLeft : 0n;
}
