// A client that keeps requesting a URL from inside a pod while other steps change the cluster, keeping every outcome.
import type { HttpProbe } from '../checks/http-probe.ts'
import type { SvcWorld } from '../world.ts'
import { requestsFromPod } from './client-pod.ts'

const BATCH = 5

// Requests `url` from `pod` in batches, one after another, until stopped.
export class BackgroundClient {
  readonly probes: HttpProbe[] = []
  readonly url: string
  #stopped = false
  readonly #loop: Promise<void>

  constructor(w: SvcWorld, pod: string, url: string) {
    this.url = url
    this.#loop = this.#run(w, pod)
  }

  async #run(w: SvcWorld, pod: string): Promise<void> {
    for (let round = 0; !this.#stopped; round++) {
      const urls = Array.from({ length: BATCH }, (_, i) => `${this.url}?background=${round * BATCH + i}`)
      try {
        this.probes.push(...(await requestsFromPod(w, pod, urls)))
      } catch (err) {
        // The exec itself failed: count it as one failed request, with the reason, rather than lose it.
        this.probes.push({ url: urls[0]!, curlExit: -1, status: 0, body: '', error: (err as Error).message })
      }
    }
  }

  // Stops after the batch in flight and returns every outcome.
  async stop(): Promise<HttpProbe[]> {
    this.#stopped = true
    await this.#loop
    return this.probes
  }
}
