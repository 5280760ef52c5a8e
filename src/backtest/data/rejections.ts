/** Lines that could not be read, counted, with the first few kept as examples (`file:line: why`). */
export class Rejections {
  static readonly EXAMPLES_KEPT = 10;
  count = 0;
  readonly examples: string[] = [];

  add(file: string, lineNumber: number, why: string): void {
    this.count++;
    if (this.examples.length < Rejections.EXAMPLES_KEPT) this.examples.push(`${file}:${lineNumber}: ${why}`);
  }
}
