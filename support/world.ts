// The scenario's World: the shared cluster, this scenario's namespace, and what the steps created and saw.
import { World, setWorldConstructor, type IWorldOptions } from '@cucumber/cucumber'
import { AppsV1Api, CoreV1Api, DiscoveryV1Api, type V1Service } from '@kubernetes/client-node'
import type { Cluster, ClusterNode } from '../src/cluster/provider.ts'
import { currentCluster } from './cluster-registry.ts'
import { PendingChecks } from './pending-checks.ts'
import { answeredBy, describeProbe, type HttpProbe } from './checks/http-probe.ts'
import { rfc3339 } from '../src/kube/time.ts'
import type { BackgroundClient } from './actions/background-client.ts'
import { resolveNodeWord } from './parse/node-name.ts'

/** One request made by a step (or several identical ones in a row), as the report lists it. */
export interface ProbeRecord {
  /** When the first of them was made. */
  at: string
  /** `outside` or `pod <name>`. */
  from: string
  url: string
  /** The pod named in the answer's body, when it names one. */
  answeredBy: string | undefined
  outcome: string
  times: number
}

// One per scenario: API clients for the shared cluster plus the scenario's own state.
export class SvcWorld extends World {
  /** The scenario's namespace (set by the Before hook). */
  namespace = ''
  /** The deployment the scenario works with. */
  deployment?: { name: string; replicas: number; port: number; labels: Record<string, string> }
  /** The service the scenario works with, as the API server returned it. */
  service?: V1Service
  /** Every Service the scenario created, by name, as the API server returned it. */
  readonly services = new Map<string, V1Service>()
  /** The outcome of the last request to create a Service directly (a Service or the API's refusal). */
  lastCreate?: { name: string; outcome: V1Service | { code: number; message: string } }
  /** Outcomes captured for a later step to check (refusals, failed requests); the scenario fails if one is left. */
  readonly pending = new PendingChecks()
  /** Every request made, in order, with its outcome (repeats counted): evidence for the report. */
  readonly probes: ProbeRecord[] = []
  /** What to undo after the scenario (port-forwards, background clients), in order of creation. */
  readonly cleanups: Array<{ what: string; run: () => Promise<void> }> = []
  /** The client requesting in the background, while one runs. */
  background?: BackgroundClient
  #clients?: { core: CoreV1Api; apps: AppsV1Api; discovery: DiscoveryV1Api }

  constructor(options: IWorldOptions) {
    super(options)
  }

  // The shared cluster; throws why it is missing (it never started) so each scenario reports the reason.
  get cluster(): Cluster {
    return currentCluster()
  }

  get core(): CoreV1Api {
    return this.#api().core
  }

  get apps(): AppsV1Api {
    return this.#api().apps
  }

  get discovery(): DiscoveryV1Api {
    return this.#api().discovery
  }

  #api(): { core: CoreV1Api; apps: AppsV1Api; discovery: DiscoveryV1Api } {
    const kc = this.cluster.kubeConfig
    this.#clients ??= {
      core: kc.makeApiClient(CoreV1Api),
      apps: kc.makeApiClient(AppsV1Api),
      discovery: kc.makeApiClient(DiscoveryV1Api),
    }
    return this.#clients
  }

  // Registers something to undo after the scenario (run in reverse order by the After hook).
  onCleanup(what: string, run: () => Promise<void>): void {
    this.cleanups.push({ what, run })
  }

  // Records one request; a repeat of the last outcome from the same client only counts up.
  recordProbe(from: string, probe: HttpProbe): void {
    const outcome = describeProbe(probe)
    const last = this.probes.at(-1)
    if (last && last.from === from && last.outcome === outcome) last.times++
    else
      this.probes.push({
        at: rfc3339(new Date()),
        from,
        url: probe.url,
        answeredBy: answeredBy(probe),
        outcome,
        times: 1,
      })
  }

  // The node a feature names ("worker"): by name, `<cluster>-<name>`, else by role (support/parse/node-name.ts).
  node(name: string): ClusterNode {
    return resolveNodeWord(name, this.cluster.name, this.cluster.nodes)
  }

  // The deployment created by an earlier step; fails clearly when there is none.
  requireDeployment(): NonNullable<SvcWorld['deployment']> {
    if (!this.deployment) throw new Error('no deployment yet: a step must create one first')
    return this.deployment
  }

  // The service created by an earlier step; fails clearly when there is none.
  requireService(): V1Service {
    if (!this.service) throw new Error('no service yet: a step must expose the deployment first')
    return this.service
  }
}

setWorldConstructor(SvcWorld)
