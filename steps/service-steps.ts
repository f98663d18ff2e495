// Steps that create Services and check what the API server allocated or refused.
import { DataTable, Given, Then, When } from '@cucumber/cucumber'
import {
  attemptService,
  createServiceOrFail,
  createServiceWithPorts,
  deleteService,
  exposeDeployment,
} from '../support/actions/services.ts'
import {
  checkCreatedWithNodePort,
  checkNodePortInRange,
  checkRefused,
} from '../support/checks/service-checks.ts'
import { servicePortsFromTable } from '../support/parse/service-ports.ts'
import { createServiceElsewhere } from '../support/actions/namespaces.ts'
import type { SvcWorld } from '../support/world.ts'

// Creates a Service of that type named after the deployment, selecting its pods, targeting the container port.
// e.g. When the deployment is exposed with a NodePort service on port 80
When(
  'the deployment is exposed with a {service-type} service on port {int}',
  async function (this: SvcWorld, type: string, port: number) {
    await exposeDeployment(this, type, port)
  },
)

// Same, with an explicit targetPort.
// e.g. When the deployment is exposed with a ClusterIP service on port 80 targeting port 8080
When(
  'the deployment is exposed with a {service-type} service on port {int} targeting port {int}',
  async function (this: SvcWorld, type: string, port: number, targetPort: number) {
    await exposeDeployment(this, type, port, { targetPort })
  },
)

// Same, asking for a specific nodePort.
// e.g. When the deployment is exposed with a NodePort service on port 80 targeting port 8080 with node port 32233
When(
  'the deployment is exposed with a {service-type} service on port {int} targeting port {int} with node port {int}',
  async function (this: SvcWorld, type: string, port: number, targetPort: number, np: number) {
    await exposeDeployment(this, type, port, { targetPort, nodePort: np })
  },
)

// Same, with its own name (e.g. a second Service selecting the same pods); it becomes the scenario's service.
// e.g. When the deployment is exposed as "second" with a ClusterIP service on port 81 targeting port 8080
When(
  'the deployment is exposed as {string} with a {service-type} service on port {int} targeting port {int}',
  async function (this: SvcWorld, name: string, type: string, port: number, targetPort: number) {
    await exposeDeployment(this, type, port, { name, targetPort })
  },
)

// Same, with a named targetPort.
// e.g. When the deployment is exposed with a ClusterIP service on port 80 targeting the container port named "http"
When(
  'the deployment is exposed with a {service-type} service on port {int} targeting the container port named {string}',
  async function (this: SvcWorld, type: string, port: number, portName: string) {
    await exposeDeployment(this, type, port, { targetPort: portName })
  },
)

// Creates a Service whose selector matches no pod, so it has no endpoints.
// e.g. Given a ClusterIP service "empty" on port 80 that selects no pods
Given(
  'a {service-type} service {string} on port {int} that selects no pods',
  async function (this: SvcWorld, type: string, name: string, port: number) {
    await createServiceOrFail(this, name, type, port, undefined, { app: 'selects-no-pods' })
  },
)

// Checks the nodePort the API server allocated.
// e.g. Then the service gets a node port between 30000 and 32767
Then(
  'the service gets a node port between {int} and {int}',
  function (this: SvcWorld, low: number, high: number) {
    checkNodePortInRange(this, low, high)
  },
)

// Creates a selector-less Service with that nodePort; fails if the API server refuses.
// e.g. Given a NodePort service "first" on port 80 with node port 32234
Given(
  'a {service-type} service {string} on port {int} with node port {int}',
  async function (this: SvcWorld, type: string, name: string, port: number, np: number) {
    await createServiceOrFail(this, name, type, port, np)
  },
)

// Tries to create such a Service and keeps the outcome (the Service, or the API's refusal); a refusal that no later step checks fails the scenario.
// e.g. When a NodePort service "second" on port 80 asks for node port 32234
When(
  'a {service-type} service {string} on port {int} asks for node port {int}',
  async function (this: SvcWorld, type: string, name: string, port: number, np: number) {
    await attemptService(this, name, type, port, np)
  },
)

// Deletes a Service of the scenario.
// e.g. When service "first" is deleted
When('service {string} is deleted', async function (this: SvcWorld, name: string) {
  await deleteService(this, name)
})

// The last creation was refused with exactly that HTTP code and Status message.
// e.g. Then the API server refuses it with status 422 and the message 'Service "wide" is invalid: spec.ports[0].nodePort: Invalid value: 20000: provided port is not in the valid range. The range of valid ports is 30000-32767'
Then(
  'the API server refuses it with status {int} and the message {string}',
  function (this: SvcWorld, code: number, message: string) {
    checkRefused(this, code, message)
  },
)

// The last creation succeeded with that nodePort.
// e.g. Then it gets node port 32234
Then('it gets node port {int}', function (this: SvcWorld, np: number) {
  checkCreatedWithNodePort(this, np)
})

// Same, with several ports from a table (columns name, port, target port, protocol, node port).
// e.g. When the deployment is exposed with a NodePort service with these ports:
When(
  'the deployment is exposed with a {service-type} service with these ports:',
  async function (this: SvcWorld, type: string, table: DataTable) {
    const ports = servicePortsFromTable(table.hashes())
    await exposeDeployment(this, type, ports[0]!.port, { ports })
  },
)

// Creates a selector-less Service with that cluster IP and the ports of a table (columns name, port, protocol).
// e.g. Given a ClusterIP service "fooservice" with cluster IP 10.96.123.45 and these ports:
Given(
  'a {service-type} service {string} with cluster IP {ip} and these ports:',
  async function (this: SvcWorld, type: string, name: string, ip: string, table: DataTable) {
    await createServiceWithPorts(this, name, type, servicePortsFromTable(table.hashes()), ip)
  },
)

// Creates a selector-less Service in the scenario's other namespace (`<scenario namespace>-other`, removed after it).
// e.g. Given a ClusterIP service "elsewhere" on port 80 in another namespace
Given(
  'a {service-type} service {string} on port {int} in another namespace',
  async function (this: SvcWorld, type: string, name: string, port: number) {
    await createServiceElsewhere(this, name, type, port)
  },
)
