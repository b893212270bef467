import type { StatementName } from './sql';

/**
 * One thing for a SQL backend to run: a named statement of `sql.ts` with its parameters, and
 * what the caller wants back; or a script (migrations) run as it is.
 */
export type Step =
  | { statement: StatementName; params: readonly unknown[]; want: 'row' | 'rows' | 'changes' }
  | { script: string };

/**
 * Storage work written once for both SQL backends: a generator that yields each step and is
 * resumed with its result. SQLite runs it synchronously inside one transaction, PostgreSQL
 * awaits each step on one connection; the logic in between is the same.
 */
export type Steps<T> = Generator<Step, T, unknown>;

/** The first row of a statement's result, if any. */
export function* row<T>(statement: StatementName, ...params: unknown[]): Steps<T | undefined> {
  return (yield { statement, params, want: 'row' }) as T | undefined;
}

/** Every row of a statement's result. */
export function* rows<T>(statement: StatementName, ...params: unknown[]): Steps<T[]> {
  return (yield { statement, params, want: 'rows' }) as T[];
}

/** How many rows a statement changed. */
export function* changes(statement: StatementName, ...params: unknown[]): Steps<number> {
  return (yield { statement, params, want: 'changes' }) as number;
}

/** Runs SQL text as it is (one or more statements, no parameters). */
export function* script(sql: string): Steps<void> {
  yield { script: sql };
}
