// Checks of the Service environment variables kubelet gives a pod's containers.
import { CLIENT_POD, podEnvironment } from '../actions/client-pod.ts'
import { serviceEnvPrefix, servicePrefixesInEnv } from '../parse/environment.ts'
import type { SvcWorld } from '../world.ts'
import { check } from './check-failed.ts'

// The client pod's environment has each variable with exactly the value given.
export async function checkEnvHas(
  w: SvcWorld,
  expected: ReadonlyArray<readonly [string, string]>,
): Promise<void> {
  const env = await podEnvironment(w, CLIENT_POD)
  const wrong = expected
    .filter(([k, v]) => env.get(k) !== v)
    .map(([k, v]) => `${k}: expected "${v}", found ${env.has(k) ? `"${env.get(k)}"` : 'no such variable'}`)
  check(wrong.length === 0, () => `the client pod's environment differs:\n${wrong.join('\n')}`)
}

// The client pod's environment has no variable for the service.
export async function checkNoEnvFor(w: SvcWorld, service: string): Promise<void> {
  const prefix = `${serviceEnvPrefix(service)}_`
  const found = [...(await podEnvironment(w, CLIENT_POD)).keys()].filter(
    (k) => k.startsWith(`${prefix}SERVICE_`) || k.startsWith(`${prefix}PORT`),
  )
  check(found.length === 0, () => `expected no variables for service ${service}, found ${found.join(', ')}`)
}

// The services described in the client pod's environment are exactly these.
export async function checkEnvServicesAre(w: SvcWorld, services: readonly string[]): Promise<void> {
  const got = servicePrefixesInEnv(await podEnvironment(w, CLIENT_POD))
  const want = services.map(serviceEnvPrefix).sort()
  check(
    got.join(',') === want.join(','),
    `expected variables for the services ${want.join(', ')} only, found them for ${got.join(', ') || 'none'}`,
  )
}
