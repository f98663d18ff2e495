// Steps for cluster DNS: lookups with real dig and curl from a pod, through the pod's resolv.conf.
import { Given, Then, When } from '@cucumber/cucumber'
import {
  checkCnameToService,
  checkNxdomain,
  checkRequestByName,
  checkResolvesToClusterIP,
  checkResolvesToPods,
  checkSrv,
  createDnsClientPod,
  createExternalName,
  createHeadlessService,
  serviceName,
} from '../support/actions/dns.ts'
import { otherNamespace } from '../support/actions/namespaces.ts'
import type { SvcWorld } from '../support/world.ts'

// Creates the pod `dns-client` (image `nicolaka/netshoot`: dig and curl, sleeping) and waits until it is ready; lookups run in it through the exec API.
// e.g. Given a DNS client pod
Given('a DNS client pod', async function (this: SvcWorld) {
  await createDnsClientPod(this)
})

// Same, in a namespace of its own (`<scenario namespace>-other`, removed after the scenario); the lookups after it run there.
// e.g. Given a DNS client pod in another namespace
Given('a DNS client pod in another namespace', async function (this: SvcWorld) {
  await createDnsClientPod(this, await otherNamespace(this))
})

// `dig +search <name>` from the DNS client pod answers the service's cluster IP (through the pod's resolv.conf search path).
// e.g. Then the DNS client pod resolves the service's short name to its cluster IP
Then(
  "the DNS client pod resolves the service's short name to its cluster IP",
  async function (this: SvcWorld) {
    await checkResolvesToClusterIP(this, serviceName(this, 'short'))
  },
)

// Same, for `<name>.<namespace>`.
// e.g. Then the DNS client pod resolves the service's name and namespace to its cluster IP
Then(
  "the DNS client pod resolves the service's name and namespace to its cluster IP",
  async function (this: SvcWorld) {
    await checkResolvesToClusterIP(this, serviceName(this, 'namespaced'))
  },
)

// Same, for `<name>.<namespace>.svc.cluster.local`.
// e.g. Then the DNS client pod resolves the service's fully qualified name to its cluster IP
Then(
  "the DNS client pod resolves the service's fully qualified name to its cluster IP",
  async function (this: SvcWorld) {
    await checkResolvesToClusterIP(this, serviceName(this, 'fqdn'))
  },
)

// curl by the service's short name from the DNS client pod is answered by one of the deployment's pods.
// e.g. Then a request from the DNS client pod to the service's short name is answered by one of its pods
Then(
  "a request from the DNS client pod to the service's short name is answered by one of its pods",
  async function (this: SvcWorld) {
    await checkRequestByName(this, serviceName(this, 'short'))
  },
)

// Same, by `<name>.<namespace>` (the form a pod in another namespace uses).
// e.g. Then a request from the DNS client pod to the service's name and namespace is answered by one of its pods
Then(
  "a request from the DNS client pod to the service's name and namespace is answered by one of its pods",
  async function (this: SvcWorld) {
    await checkRequestByName(this, serviceName(this, 'namespaced'))
  },
)

// `_<port>._tcp.<service FQDN>` has an SRV record with that port and the service as target.
// e.g. Then the DNS client pod finds the SRV record of port "http" over TCP: port 80 of the service
Then(
  'the DNS client pod finds the SRV record of port {string} over TCP: port {int} of the service',
  async function (this: SvcWorld, portName: string, port: number) {
    await checkSrv(this, portName, port)
  },
)

// Creates a headless Service (`clusterIP: None`) selecting the deployment's pods.
// e.g. When a headless service "hello-headless" selects the deployment's pods on port 80 named "http"
When(
  "a headless service {string} selects the deployment's pods on port {int} named {string}",
  async function (this: SvcWorld, name: string, port: number, portName: string) {
    await createHeadlessService(this, name, port, portName)
  },
)

// The name's A records are exactly the IPs of the deployment's pods.
// e.g. Then the DNS client pod resolves "hello-headless" to the IPs of all 2 pods
Then(
  'the DNS client pod resolves {string} to the IPs of all {int} pods',
  async function (this: SvcWorld, name: string, count: number) {
    await checkResolvesToPods(this, name, count)
  },
)

// Creates an ExternalName Service whose externalName is the scenario service's FQDN.
// e.g. When an ExternalName service "alias" names the service's fully qualified name
When(
  "an ExternalName service {string} names the service's fully qualified name",
  async function (this: SvcWorld, name: string) {
    await createExternalName(this, name, serviceName(this, 'fqdn'))
  },
)

// The name answers a CNAME to the service FQDN, then its cluster IP.
// e.g. Then the DNS client pod resolves "alias" through a CNAME to the service's cluster IP
Then(
  "the DNS client pod resolves {string} through a CNAME to the service's cluster IP",
  async function (this: SvcWorld, name: string) {
    await checkCnameToService(this, name, serviceName(this, 'fqdn'))
  },
)

// dig answers NXDOMAIN for that service FQDN.
// e.g. Then the DNS client pod gets NXDOMAIN for the fully qualified name of service "no-such-service"
Then(
  'the DNS client pod gets NXDOMAIN for the fully qualified name of service {string}',
  async function (this: SvcWorld, name: string) {
    await checkNxdomain(this, `${serviceName(this, 'fqdn', name)}.`)
  },
)
