// Steps that create workloads.
import { Given } from '@cucumber/cucumber'
import { createDeployment } from '../support/actions/workloads.ts'
import type { SvcWorld } from '../support/world.ts'

Given(
  'a deployment {string} with {int} replica(s) of image {string} listening on port {int}',
  async function (this: SvcWorld, name: string, replicas: number, image: string, port: number) {
    await createDeployment(this, name, replicas, image, port)
  },
)

Given(
  'a deployment {string} with {int} replica(s) of image {string} listening on port {int} named {string}',
  async function (
    this: SvcWorld,
    name: string,
    replicas: number,
    image: string,
    port: number,
    portName: string,
  ) {
    await createDeployment(this, name, replicas, image, port, portName)
  },
)
