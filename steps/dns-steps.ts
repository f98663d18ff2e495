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
import type { SvcWorld } from '../support/world.ts'

Given('a DNS client pod', async function (this: SvcWorld) {
  await createDnsClientPod(this)
})

Then(
  "the DNS client pod resolves the service's short name to its cluster IP",
  async function (this: SvcWorld) {
    await checkResolvesToClusterIP(this, serviceName(this, 'short'))
  },
)

Then(
  "the DNS client pod resolves the service's name and namespace to its cluster IP",
  async function (this: SvcWorld) {
    await checkResolvesToClusterIP(this, serviceName(this, 'namespaced'))
  },
)

Then(
  "the DNS client pod resolves the service's fully qualified name to its cluster IP",
  async function (this: SvcWorld) {
    await checkResolvesToClusterIP(this, serviceName(this, 'fqdn'))
  },
)

Then(
  "a request from the DNS client pod to the service's short name is answered by one of its pods",
  async function (this: SvcWorld) {
    await checkRequestByName(this, serviceName(this, 'short'))
  },
)

Then(
  'the DNS client pod finds the SRV record of port {string} over TCP: port {int} of the service',
  async function (this: SvcWorld, portName: string, port: number) {
    await checkSrv(this, portName, port)
  },
)

When(
  "a headless service {string} selects the deployment's pods on port {int} named {string}",
  async function (this: SvcWorld, name: string, port: number, portName: string) {
    await createHeadlessService(this, name, port, portName)
  },
)

Then(
  'the DNS client pod resolves {string} to the IPs of all {int} pods',
  async function (this: SvcWorld, name: string, count: number) {
    await checkResolvesToPods(this, name, count)
  },
)

When(
  "an ExternalName service {string} names the service's fully qualified name",
  async function (this: SvcWorld, name: string) {
    await createExternalName(this, name, serviceName(this, 'fqdn'))
  },
)

Then(
  "the DNS client pod resolves {string} through a CNAME to the service's cluster IP",
  async function (this: SvcWorld, name: string) {
    await checkCnameToService(this, name, serviceName(this, 'fqdn'))
  },
)

Then(
  'the DNS client pod gets NXDOMAIN for the fully qualified name of service {string}',
  async function (this: SvcWorld, name: string) {
    await checkNxdomain(this, `${serviceName(this, 'fqdn', name)}.`)
  },
)
