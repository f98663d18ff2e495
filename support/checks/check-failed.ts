// A product check that did not hold, reported as a failed check (not a broken test) in one plain sentence.
import { WaitTimeoutError, waitFor, type WaitSpec } from '../../src/wait/wait-for.ts'

// Thrown when the cluster does not behave as the scenario says. The class name contains "Assertion" so Allure
// files it under Failed (product defects), not Broken; it has no actual/expected fields, so reporters print the
// message as written instead of cutting it to a diff.
export class CheckAssertionError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'CheckAssertionError'
  }
}

// Fails the check with `message` unless `holds` is truthy.
export function check(holds: unknown, message: string | (() => string)): asserts holds {
  if (!holds) throw new CheckAssertionError(typeof message === 'string' ? message : message())
}

// Waits like waitFor(); a deadline that passes is a failed check with the wait's message (what, how long, last seen).
export async function eventually<T>(spec: WaitSpec<T>): Promise<T> {
  try {
    return await waitFor(spec)
  } catch (err) {
    // No cause: the report shows one sentence, not the same one twice.
    if (err instanceof WaitTimeoutError) throw new CheckAssertionError(err.message)
    throw err
  }
}

// True when an error is a failed product check (as opposed to a harness or environment error).
export function isCheckFailure(err: unknown): boolean {
  return err instanceof CheckAssertionError || (err instanceof Error && err.name === 'AssertionError')
}
