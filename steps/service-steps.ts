// Steps that create Services and check what the API server allocated or refused.
import { Given, Then, When } from '@cucumber/cucumber'
import {
  attemptService,
  createServiceOrFail,
  deleteService,
  exposeDeployment,
} from '../support/actions/services.ts'
import {
  checkCreatedWithNodePort,
  checkNodePortInRange,
  checkRefused,
} from '../support/checks/service-checks.ts'
import type { SvcWorld } from '../support/world.ts'

When(
  'the deployment is exposed with a {service-type} service on port {int}',
  async function (this: SvcWorld, type: string, port: number) {
    await exposeDeployment(this, type, port)
  },
)

When(
  'the deployment is exposed with a {service-type} service on port {int} targeting port {int}',
  async function (this: SvcWorld, type: string, port: number, targetPort: number) {
    await exposeDeployment(this, type, port, { targetPort })
  },
)

When(
  'the deployment is exposed with a {service-type} service on port {int} targeting port {int} with node port {int}',
  async function (this: SvcWorld, type: string, port: number, targetPort: number, np: number) {
    await exposeDeployment(this, type, port, { targetPort, nodePort: np })
  },
)

When(
  'the deployment is exposed as {string} with a {service-type} service on port {int} targeting port {int}',
  async function (this: SvcWorld, name: string, type: string, port: number, targetPort: number) {
    await exposeDeployment(this, type, port, { name, targetPort })
  },
)

When(
  'the deployment is exposed with a {service-type} service on port {int} targeting the container port named {string}',
  async function (this: SvcWorld, type: string, port: number, portName: string) {
    await exposeDeployment(this, type, port, { targetPort: portName })
  },
)

Given(
  'a {service-type} service {string} on port {int} that selects no pods',
  async function (this: SvcWorld, type: string, name: string, port: number) {
    await createServiceOrFail(this, name, type, port, undefined, { app: 'selects-no-pods' })
  },
)

Then(
  'the service gets a node port between {int} and {int}',
  function (this: SvcWorld, low: number, high: number) {
    checkNodePortInRange(this, low, high)
  },
)

Given(
  'a {service-type} service {string} on port {int} with node port {int}',
  async function (this: SvcWorld, type: string, name: string, port: number, np: number) {
    await createServiceOrFail(this, name, type, port, np)
  },
)

When(
  'a {service-type} service {string} on port {int} asks for node port {int}',
  async function (this: SvcWorld, type: string, name: string, port: number, np: number) {
    await attemptService(this, name, type, port, np)
  },
)

When('service {string} is deleted', async function (this: SvcWorld, name: string) {
  await deleteService(this, name)
})

Then(
  'the API server refuses it with status {int} and the message {string}',
  function (this: SvcWorld, code: number, message: string) {
    checkRefused(this, code, message)
  },
)

Then('it gets node port {int}', function (this: SvcWorld, np: number) {
  checkCreatedWithNodePort(this, np)
})
