// Steps that create workloads.
import { Given } from '@cucumber/cucumber'
import { createDeployment } from '../support/actions/workloads.ts'
import type { SvcWorld } from '../support/world.ts'

// Creates a Deployment (label `app=<name>`) and waits until all replicas are available.
// e.g. Given a deployment "web" with 3 replicas of image "nginx" listening on port 80
Given(
  'a deployment {string} with {int} replica(s) of image {string} listening on port {int}',
  async function (this: SvcWorld, name: string, replicas: number, image: string, port: number) {
    await createDeployment(this, name, replicas, image, port)
  },
)

// Same, with a named container port (for a Service that targets it by name).
// e.g. Given a deployment "web" with 2 replicas of image "gcr.io/google-samples/hello-app:1.0" listening on port 8080 named "http"
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
    await createDeployment(this, name, replicas, image, port, { portName })
  },
)

// Same, with a preStop sleep hook: a deleted pod keeps serving that long while it leaves the Service's endpoints.
// e.g. Given a deployment "hello" with 2 replicas of image "gcr.io/google-samples/hello-app:1.0" listening on port 8080 that keeps serving for 3 seconds after it is deleted
Given(
  'a deployment {string} with {int} replica(s) of image {string} listening on port {int} that keeps serving for {int} second(s) after it is deleted',
  async function (
    this: SvcWorld,
    name: string,
    replicas: number,
    image: string,
    port: number,
    seconds: number,
  ) {
    await createDeployment(this, name, replicas, image, port, { preStopSleepSeconds: seconds })
  },
)
