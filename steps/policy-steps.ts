// Steps that change how a service routes: session affinity, external IPs, load balancers, traffic policies, port-forward.
import { Given, Then, When } from '@cucumber/cucumber'
import { createClientPod } from '../support/actions/client-pod.ts'
import { nodeOfDeploymentPod, nodeWithoutDeploymentPods } from '../support/actions/placement.ts'
import { startPortForward } from '../support/actions/port-forward.ts'
import { updateService, waitForIngressIP } from '../support/actions/services.ts'
import { checkAllSamePod, checkMovesAfterTimeout } from '../support/checks/affinity-checks.ts'
import { checkAnsweredFromClient, checkNoAnswerFromClient } from '../support/checks/in-cluster-checks.ts'
import { checkAddressAnswers, checkLoopbackAnswers } from '../support/checks/traffic-checks.ts'
import {
  checkHealthCheckNodePort,
  checkNoAnswerWithoutLocalEndpoint,
  checkSourceMasqueraded,
  checkSourcePreserved,
} from '../support/checks/source-ip-checks.ts'
import { createNetexecDeployment } from '../support/actions/workloads.ts'
import type { SvcWorld } from '../support/world.ts'

// Sets `sessionAffinity: ClientIP` on the scenario's service (default timeout, 3 hours).
// e.g. When the service is given ClientIP session affinity
When('the service is given ClientIP session affinity', async function (this: SvcWorld) {
  await updateService(this, (spec) => (spec.sessionAffinity = 'ClientIP'))
})

// Same, with `sessionAffinityConfig.clientIP.timeoutSeconds`.
// e.g. When the service is given ClientIP session affinity for 5 seconds
When(
  'the service is given ClientIP session affinity for {duration}',
  async function (this: SvcWorld, ms: number) {
    await updateService(this, (spec) => {
      spec.sessionAffinity = 'ClientIP'
      spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: Math.round(ms / 1000) } }
    })
  },
)

// Requests from the client pod to the service's cluster IP all succeed and are all answered by the same pod.
// e.g. Then 15 requests from the client pod to the service are all answered by the same pod
Then(
  '{int} requests from the client pod to the service are all answered by the same pod',
  async function (this: SvcWorld, count: number) {
    await checkAllSamePod(this, count)
  },
)

// Single requests spaced longer than the affinity timeout are, before a deadline, answered by more than one pod.
// e.g. Then requests from the client pod spaced more than 5 seconds apart reach more than one pod
Then(
  'requests from the client pod spaced more than {duration} apart reach more than one pod',
  async function (this: SvcWorld, ms: number) {
    await checkMovesAfterTimeout(this, ms)
  },
)

// Adds an external IP to the scenario's service.
// e.g. When the service is given the external IP 172.18.255.251
When('the service is given the external IP {ip}', async function (this: SvcWorld, ip: string) {
  await updateService(this, (spec) => (spec.externalIPs = [...(spec.externalIPs ?? []), ip]))
})

// From the outside client, that address and port answer with the text, from one of the deployment's pods.
// e.g. Then from outside the cluster, 172.18.255.251 at port 80 answers "Hello, world!" from one of the pods
Then(
  'from outside the cluster, {ip} at port {int} answers {string} from one of the pods',
  async function (this: SvcWorld, ip: string, port: number, text: string) {
    await checkAddressAnswers(this, ip, port, text)
  },
)

// Waits for the LoadBalancer service's ingress IP; then the outside client's request to it is answered by a pod.
// e.g. Then from outside the cluster, the service's load-balancer IP at port 80 answers "Hello, world!" from one of the pods
Then(
  "from outside the cluster, the service's load-balancer IP at port {int} answers {string} from one of the pods",
  async function (this: SvcWorld, port: number, text: string) {
    await checkAddressAnswers(this, await waitForIngressIP(this), port, text)
  },
)

// Sets the service's internalTrafficPolicy (Cluster or Local).
// e.g. When the service's internal traffic policy is Local
When("the service's internal traffic policy is {word}", async function (this: SvcWorld, policy: string) {
  await updateService(this, (spec) => (spec.internalTrafficPolicy = policy))
})

// Creates the client pod on the node that runs the deployment's only pod.
// e.g. Given a client pod on the node of the deployment's pod
Given("a client pod on the node of the deployment's pod", async function (this: SvcWorld) {
  await createClientPod(this, { node: await nodeOfDeploymentPod(this) })
})

// Creates the client pod on a worker that runs none of the deployment's pods.
// e.g. Given a client pod on a node without the deployment's pods
Given("a client pod on a node without the deployment's pods", async function (this: SvcWorld) {
  await createClientPod(this, { node: await nodeWithoutDeploymentPods(this) })
})

// A request from the client pod to the service's cluster IP is answered by one of the deployment's pods.
// e.g. Then a request from the client pod to the service is answered by one of its pods
Then(
  'a request from the client pod to the service is answered by one of its pods',
  async function (this: SvcWorld) {
    await checkAnsweredFromClient(this)
  },
)

// None of several requests from the client pod to the service's cluster IP is answered (refused or timed out).
// e.g. Then 3 requests from the client pod to the service get no answer
Then(
  '{int} requests from the client pod to the service get no answer',
  async function (this: SvcWorld, tries: number) {
    await checkNoAnswerFromClient(this, tries)
  },
)

// Runs `kubectl port-forward svc/<service> LOCAL:REMOTE` on this machine (stopped after the scenario).
// e.g. When kubectl port-forwards local port 38080 to port 80 of service "hello-world"
When(
  'kubectl port-forwards local port {int} to port {int} of service {string}',
  function (this: SvcWorld, local: number, remote: number, service: string) {
    startPortForward(this, service, local, remote)
  },
)

// The port-forward's local end (127.0.0.1 on this machine) answers with the text, from one of the deployment's pods.
// e.g. Then localhost port 38080 answers "Hello, world!" from one of the pods
Then(
  'localhost port {int} answers {string} from one of the pods',
  async function (this: SvcWorld, port: number, text: string) {
    await checkLoopbackAnswers(this, port, text)
  },
)

// Creates a Deployment of the upstream e2e server, agnhost netexec (/hostname, /clientip), on that HTTP port.
// e.g. Given a deployment "netexec" with 1 replica of the netexec server on port 8080
Given(
  'a deployment {string} with {int} replica(s) of the netexec server on port {int}',
  async function (this: SvcWorld, name: string, replicas: number, port: number) {
    await createNetexecDeployment(this, name, replicas, port)
  },
)

// Sets the service's externalTrafficPolicy (Cluster or Local).
// e.g. When the service's external traffic policy is Local
When("the service's external traffic policy is {word}", async function (this: SvcWorld, policy: string) {
  await updateService(this, (spec) => (spec.externalTrafficPolicy = policy))
})

// Through the node port of the pod's node, the pod sees the outside client's own address (/clientip).
// e.g. Then through the node of the deployment's pod, the pod sees the outside client's own address
Then(
  "through the node of the deployment's pod, the pod sees the outside client's own address",
  async function (this: SvcWorld) {
    await checkSourcePreserved(this)
  },
)

// Through the node port of another node, the pod sees an address of the cluster instead of the client's.
// e.g. Then through a node without the deployment's pods, the pod sees a masqueraded address
Then(
  "through a node without the deployment's pods, the pod sees a masqueraded address",
  async function (this: SvcWorld) {
    await checkSourceMasqueraded(this)
  },
)

// The node port of a node without the deployment's pods gets no answer from outside.
// e.g. Then the node port of a node without the deployment's pods gets no answer from outside the cluster
Then(
  "the node port of a node without the deployment's pods gets no answer from outside the cluster",
  async function (this: SvcWorld) {
    await checkNoAnswerWithoutLocalEndpoint(this)
  },
)

// The health check node port says 200 on the node of the deployment's pod and 503 on a node without one.
// e.g. Then the service's health check node port answers 200 on the pod's node and 503 on another node
Then(
  "the service's health check node port answers 200 on the pod's node and 503 on another node",
  async function (this: SvcWorld) {
    await checkHealthCheckNodePort(this)
  },
)
