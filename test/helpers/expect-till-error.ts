import { expect } from 'vitest';
import { TillError } from '../../main/core/errors';

/** Runs `fn`, expects it to throw a TillError with `code`, and returns the error for further checks. */
export function expectTillError(fn: () => unknown, code: string): TillError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TillError);
    expect((err as TillError).code).toBe(code);
    return err as TillError;
  }
  throw new Error(`expected ${code}`);
}
