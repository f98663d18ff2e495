// The API connection of an in-cluster component (kube-proxy, DNS): --kubeconfig, or --master with the pod's
// ServiceAccount token, else the default loading rules (KUBECONFIG, ~/.kube/config, in-cluster, localhost:8080).
// Credentials the small client cannot produce (exec plugins, auth providers) come from @kubernetes/client-node,
// imported only then.
import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { KubeConfig } from '@kubernetes/client-node'
import { ApiClient, type RequestAuth } from './api-client.ts'
import { readKubeconfig, type ConnectionSpec } from './kubeconfig-read.ts'

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount'

/** Where the files of the loading rules are (tests point them elsewhere). */
export interface LoadingRules {
  env?: NodeJS.ProcessEnv
  home?: string
  serviceAccountDir?: string
}

// An ApiClient from --master (not TLS-verified; the pod's ServiceAccount token when it has one, or the kubeconfig's
// user) or --kubeconfig, else the default loading rules. Named after client-node's call it replaces.
export function loadKubeConfig(
  opts: { master?: string; kubeconfig?: string },
  rules: LoadingRules = {},
): ApiClient {
  const files = opts.kubeconfig ? [opts.kubeconfig] : opts.master ? [] : defaultFiles(rules)
  const reading = files.length ? readKubeconfig(files) : undefined
  const saDir = rules.serviceAccountDir ?? SERVICE_ACCOUNT_DIR
  if (reading?.unsupported) {
    const cluster = opts.master ? { server: opts.master, insecure: true } : reading.spec
    return new ApiClient(cluster, clientNodeAuth(files, opts.master, saDir))
  }
  if (opts.master) {
    // Not verified: --master may name any address of the API server (kind's need not be in its certificate).
    const user = reading?.spec ?? serviceAccountUser(saDir)
    return new ApiClient({ ...user, ca: undefined, server: opts.master, insecure: true })
  }
  if (reading) return new ApiClient(reading.spec)
  const env = rules.env ?? process.env
  const host = env['KUBERNETES_SERVICE_HOST']
  const port = env['KUBERNETES_SERVICE_PORT']
  if (host && port) return new ApiClient(inClusterSpec(host, port, saDir))
  return new ApiClient({ server: 'http://localhost:8080' })
}

// The kubeconfig files of the default loading rules: $KUBECONFIG's existing files, else ~/.kube/config if it exists.
function defaultFiles(rules: LoadingRules): string[] {
  const env = rules.env ?? process.env
  const listed = (env['KUBECONFIG'] ?? '').split(':').filter((f) => f !== '' && existsSync(f))
  if (listed.length) return listed
  const home = join(rules.home ?? homedir(), '.kube', 'config')
  return existsSync(home) ? [home] : []
}

// The in-cluster connection: the kubernetes Service's address, the ServiceAccount's CA and (rotating) token.
function inClusterSpec(host: string, port: string, saDir: string): ConnectionSpec {
  const caFile = join(saDir, 'ca.crt')
  return {
    server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    ...(existsSync(caFile) ? { ca: readFileSync(caFile) } : {}),
    ...serviceAccountUser(saDir),
  }
}

// Credentials from the pod's ServiceAccount token file (re-read on every request), or none.
function serviceAccountUser(saDir: string): Omit<ConnectionSpec, 'server'> {
  const tokenFile = join(saDir, 'token')
  return existsSync(tokenFile) ? { tokenFile } : {}
}

// Credentials and TLS material from @kubernetes/client-node (exec plugins, auth providers), loaded on first use.
function clientNodeAuth(
  files: string[],
  master: string | undefined,
  saDir: string,
): () => Promise<RequestAuth> {
  let loading: Promise<KubeConfig> | undefined
  const load = async (): Promise<KubeConfig> => {
    const { KubeConfig } = await import('@kubernetes/client-node')
    const kc = new KubeConfig()
    for (const f of files) kc.loadFromFile(f)
    if (master) {
      const current = kc.getCurrentUser()
      const tokenFile = join(saDir, 'token')
      kc.loadFromOptions({
        clusters: [{ name: 'svcnet', server: master, skipTLSVerify: true }],
        users: [
          current ??
            (existsSync(tokenFile)
              ? { name: 'svcnet', authProvider: { name: 'tokenFile', config: { tokenFile } } }
              : { name: 'svcnet' }),
        ],
        contexts: [{ name: 'svcnet', cluster: 'svcnet', user: current?.name ?? 'svcnet' }],
        currentContext: 'svcnet',
      })
    }
    return kc
  }
  return async () => {
    loading ??= load()
    const kc = await loading
    const o: {
      headers?: Record<string, string>
      ca?: Buffer
      cert?: Buffer
      key?: Buffer
      rejectUnauthorized?: boolean
    } = {}
    await kc.applyToHTTPSOptions(o)
    return {
      headers: o.headers,
      ca: o.ca,
      cert: o.cert,
      key: o.key,
      rejectUnauthorized: o.rejectUnauthorized,
    }
  }
}
