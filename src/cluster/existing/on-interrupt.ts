// Ctrl-C (SIGINT) or SIGTERM while a provider owns something outside this process: stop, remove it, exit 130.

// Registers handlers that abort `interrupted`, run cleanup once and exit 130; returns the function that removes them.
// Remove them only after cleanup has finished: while a signal is being handled, execa's exit hook re-raises it as soon
// as no other listener is left, which would end the process half-way through the cleanup.
export function onInterrupt(
  what: string,
  interrupted: AbortController,
  cleanup: () => Promise<void>,
  log: (m: string) => void,
): () => void {
  const handler = (sig: NodeJS.Signals) => {
    log(`${sig}: removing ${what} before exiting`)
    interrupted.abort(new Error(`interrupted by ${sig}`))
    cleanup().then(
      () => process.exit(130),
      (err: Error) => {
        log(err.message)
        process.exit(130)
      },
    )
  }
  // `on`, not `once`: a second Ctrl-C during the cleanup must not kill the process half-way.
  process.on('SIGINT', handler)
  process.on('SIGTERM', handler)
  return () => {
    process.off('SIGINT', handler)
    process.off('SIGTERM', handler)
  }
}
