// Line buffers for iptables-restore input: one per table section, counting what they hold.

/** Collects chain lines and rule lines of one table. */
export class RuleBuffer {
  readonly chains: string[] = []
  readonly rules: string[] = []
  // Declares a chain (`:NAME - [0:0]`), which also flushes it on restore.
  chain(name: string): void {
    this.chains.push(`:${name} - [0:0]`)
  }
  // Appends one rule line; arguments are joined by single spaces, empty strings dropped.
  rule(...words: string[]): void {
    this.rules.push(words.filter((w) => w !== '').join(' '))
  }
}

// Quotes a comment the way kube-proxy's format strings do: literal double quotes when it has spaces.
export function comment(text: string): string[] {
  return ['-m', 'comment', '--comment', /\s/.test(text) ? `"${text}"` : text]
}
