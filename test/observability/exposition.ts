import assert from 'node:assert/strict';

/** Every sample line (NaN in any case, as prom-client writes `Nan` and Prometheus parses it) is `name{labels} value`, every metric has HELP and TYPE before its samples. */
export function assertExposition(text: string): void {
  const typed = new Set<string>();
  for (const line of text.trimEnd().split('\n')) {
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      typed.add(type[1]!);
      continue;
    }
    if (line === '' || line.startsWith('# HELP ')) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|[+-]Inf|NaN)$/i.exec(line);
    assert.ok(sample, `not an exposition line: ${line}`);
    const name = sample[1]!;
    assert.ok([name, name.replace(/_(bucket|sum|count)$/, '')].some((base) => typed.has(base)), `sample before its TYPE: ${line}`);
  }
}
