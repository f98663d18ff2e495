// Outcomes a step captured for a later step to check (a refusal, a failed request): a scenario that never checks one fails.

// The outcomes captured and not yet checked, by key (e.g. `create service second`).
export class PendingChecks {
  readonly #pending = new Map<string, string>()

  // Records an outcome that a later step must check; a second capture under the same key replaces the first.
  capture(key: string, description: string): void {
    this.#pending.set(key, description)
  }

  // Marks the outcome under `key` as checked.
  checked(key: string): void {
    this.#pending.delete(key)
  }

  // The sentence an After hook fails with when outcomes were left unchecked; undefined when all were checked.
  uncheckedMessage(): string | undefined {
    if (this.#pending.size === 0) return undefined
    const items = [...this.#pending.values()]
    return `the scenario captured ${items.length === 1 ? 'an outcome' : `${items.length} outcomes`} that no step checked: ${items.join('; ')} (add a Then step that checks it)`
  }
}
