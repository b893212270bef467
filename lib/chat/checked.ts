/** The outcome of a chat rule: a normalised value, or a sentence saying what is wrong. */
export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

/** A value that passed its rule. */
export function valid<T>(value: T): Checked<T> {
  return { ok: true, value };
}

/** A value that failed its rule, with the reason a person can read. */
export function invalid<T = never>(reason: string): Checked<T> {
  return { ok: false, reason };
}
