// Steps that read the Service environment variables kubelet gave the client pod.
import { DataTable, Then } from '@cucumber/cucumber'
import { checkEnvHas, checkEnvServicesAre, checkNoEnvFor } from '../support/checks/env-checks.ts'
import type { SvcWorld } from '../support/world.ts'

// Runs `env` in the client pod through the exec API; each variable of the table (name | value) has exactly that value.
// e.g. Then the client pod's environment has these variables:
Then("the client pod's environment has these variables:", async function (this: SvcWorld, table: DataTable) {
  await checkEnvHas(
    this,
    table.raw().map(([k, v]) => [k ?? '', v ?? ''] as const),
  )
})

// No `<NAME>_SERVICE_*` or `<NAME>_PORT*` variable for that service.
// e.g. Then the client pod's environment has no variables for service "fooservice"
Then(
  "the client pod's environment has no variables for service {string}",
  async function (this: SvcWorld, service: string) {
    await checkNoEnvFor(this, service)
  },
)

// The `*_SERVICE_HOST` variables name exactly these services.
// e.g. Then the client pod's environment describes only the services "fooservice" and "kubernetes"
Then(
  "the client pod's environment describes only the services {string} and {string}",
  async function (this: SvcWorld, first: string, second: string) {
    await checkEnvServicesAre(this, [first, second])
  },
)
