/**
 * A sum kept up to date by adding entering terms and subtracting leaving ones. Each operation adds a
 * rounding error of up to ε·|running value|, so the error grows with the total magnitude moved
 * through the sum (`churn`), not with the sum itself: after a large term leaves, the small remainder
 * can be mostly rounding noise. The owner recomputes the sum exactly from its window whenever churn
 * exceeds `REBASE_RATIO` times the current value, which bounds the relative error to about
 * REBASE_RATIO·ε (≈ 2e-13) and, for terms of similar size, happens only every ~REBASE_RATIO/2 window
 * lengths: O(1) amortized. Terms are never negative here (prices > 0, sizes ≥ 0).
 */
export const REBASE_RATIO = 1_000;

export class RunningSum {
  value = 0;
  #churn = 0;

  add(term: number): void {
    this.value += term;
    this.#churn += Math.abs(term);
  }

  remove(term: number): void {
    this.value -= term;
    this.#churn += Math.abs(term);
  }

  needsRebase(): boolean {
    return this.#churn > REBASE_RATIO * Math.abs(this.value);
  }

  /** Sets the exactly recomputed value and starts counting churn from it. */
  rebase(exact: number): void {
    this.value = exact;
    this.#churn = Math.abs(exact);
  }

  /** Value and churn, to restore the sum bit for bit (rounding included) after a restart. */
  save(): readonly [value: number, churn: number] {
    return [this.value, this.#churn];
  }

  restore([value, churn]: readonly [number, number]): void {
    this.value = value;
    this.#churn = churn;
  }
}
