import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/** Bytes consumed so far, updated as chunks are read (for progress output). */
export interface ByteCounter {
  bytes: number;
}

/** Longest line kept whole; a longer one is cut here (it will fail to parse and be dead-lettered). */
export const MAX_LINE_CHARS = 1_048_576;

/**
 * The lines of a UTF-8 stream without their `\n` / `\r\n`, read chunk by chunk: memory stays at one
 * chunk plus one line whatever the file size, and the stream is paused while the consumer is busy
 * (async iteration pulls). Breaking out of the loop destroys the stream.
 */
export async function* readLines(stream: Readable, counter: ByteCounter = { bytes: 0 }): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let skipping = false;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    counter.bytes += chunk.length;
    const text = rest + decoder.write(chunk);
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      if (!skipping) yield trimCarriageReturn(text.slice(start, newline));
      skipping = false;
      start = newline + 1;
    }
    rest = skipping ? '' : text.slice(start);
    if (rest.length > MAX_LINE_CHARS) {
      yield rest.slice(0, MAX_LINE_CHARS);
      rest = '';
      skipping = true;
    }
  }
  rest += decoder.end();
  if (rest.length > 0 && !skipping) yield trimCarriageReturn(rest);
}

function trimCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
