/** `--grid name=v1,v2,...` options: each parameter with its values, in the order given. */
export type Grid = readonly (readonly [string, readonly string[]])[];

export function parseGrid(options: readonly string[]): Grid | string {
  const grid: [string, string[]][] = [];
  for (const option of options) {
    const at = option.indexOf('=');
    const name = option.slice(0, at);
    const values = option.slice(at + 1).split(',').map((value) => value.trim());
    if (at <= 0 || values.some((value) => value === '')) return `--grid ${JSON.stringify(option)} must be name=value1,value2,...`;
    if (grid.some(([known]) => known === name)) return `--grid names ${name} twice`;
    grid.push([name, [...new Set(values)]]);
  }
  return grid;
}

/** Every combination, the last parameter varying fastest; one empty combination for an empty grid. */
export function gridCombinations(grid: Grid): Record<string, string>[] {
  let combinations: Record<string, string>[] = [{}];
  for (const [name, values] of grid) combinations = combinations.flatMap((combination) => values.map((value) => ({ ...combination, [name]: value })));
  return combinations;
}
