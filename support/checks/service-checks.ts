// Checks of what the API server did with a Service: the node port it allocated, or the refusal it answered.
import { nodePort, type ApiRefusal } from '../actions/services.ts'
import type { SvcWorld } from '../world.ts'
import { check } from './check-failed.ts'

// The service's allocated node port lies in low..high.
export function checkNodePortInRange(w: SvcWorld, low: number, high: number): void {
  const np = nodePort(w)
  check(np >= low && np <= high, `expected a node port in ${low}-${high}, the API server allocated ${np}`)
}

// The last attempt to create a Service was refused with exactly this code and Status message.
export function checkRefused(w: SvcWorld, code: number, message: string): void {
  const last = w.lastCreate
  check(last, 'no step tried to create a service, so there is no refusal to check')
  w.pending.checked(`create service ${last.name}`)
  check('code' in last.outcome, `expected the API server to refuse service ${last.name}, but it was created`)
  const got: ApiRefusal = last.outcome
  check(
    got.code === code && got.message === message,
    `expected service ${last.name} to be refused with ${code} "${message}", the API server answered ${got.code} "${got.message}"`,
  )
}

// The last attempt to create a Service succeeded with this node port.
export function checkCreatedWithNodePort(w: SvcWorld, np: number): void {
  const last = w.lastCreate
  check(last, 'no step tried to create a service, so there is no node port to check')
  w.pending.checked(`create service ${last.name}`)
  const outcome = last.outcome
  if ('code' in outcome)
    check(false, `service ${last.name} was refused: ${outcome.code} "${outcome.message}"`)
  const got = outcome.spec?.ports?.[0]?.nodePort
  check(got === np, `expected service ${last.name} to get node port ${np}, it got ${got ?? 'none'}`)
}
