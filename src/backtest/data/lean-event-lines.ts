import { ERROR_CODES, TickflowError } from '../../errors.ts';
import { readLines, type ByteCounter } from '../../sources/replay/line-reader.ts';
import { intradayInterval, type LeanFileInfo } from '../../sources/replay/lean/lean-file.ts';
import { openLeanInput } from '../../sources/replay/lean/lean-input.ts';
import { openLeanZip } from '../../sources/replay/lean/lean-zip.ts';
import type { DayRange } from './day-range.ts';
import { leanDatedBarParser } from './lean-dated-bars.ts';
import { leanQuoteBarParser, leanTradeBarParser } from './lean-intraday-bars.ts';
import type { EventLines, MarketEvent } from './market-event.ts';

/**
 * A Lean zip's events: ticks as the replay reads them (`openLeanInput`: trades with their sale
 * conditions, source `lean`, seq; forex quotes), second and minute trade and quote bars, hour and daily
 * trade bars (only their lines within `range`: these files span years).
 */
export async function openLeanEventLines(path: string, info: LeanFileInfo, range: DayRange): Promise<EventLines> {
  if (info.resolution === 'tick') {
    const input = await openLeanInput(path);
    return {
      lines: () => input.lines(),
      parse: (line, lineNumber) => {
        const record = input.parse(line, lineNumber);
        return typeof record === 'string' || record.type !== 'gap' ? record : null;
      },
      bytesRead: () => input.bytesRead(),
      totalBytes: input.totalBytes ?? 0,
      close: () => input.close(),
    };
  }
  const parse = barParser(path, info, range);
  const entry = await openLeanZip(path);
  const counter: ByteCounter = { bytes: 0 };
  return {
    lines: () => readLines(entry.stream, counter),
    parse,
    bytesRead: () => counter.bytes,
    totalBytes: entry.uncompressedSize,
    close: async () => {
      entry.stream.destroy();
      entry.close();
    },
  };
}

function barParser(path: string, info: LeanFileInfo, range: DayRange): (line: string) => MarketEvent | string | null {
  if (info.date === null) {
    if (info.dataType === 'trade') return leanDatedBarParser(info, range);
  } else {
    const interval = intradayInterval(info);
    if (interval) return info.dataType === 'trade' ? leanTradeBarParser(info, interval) : leanQuoteBarParser(info, interval);
  }
  throw new TickflowError(ERROR_CODES.REPLAY_INPUT, `${path}: a backtest does not read Lean ${info.resolution} ${info.dataType} files`);
}
