/** `1 symbol`, `9 symbols`: a count with its noun in the right number (nouns with a plain `s` plural). */
export function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
