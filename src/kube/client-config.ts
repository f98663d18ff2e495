// The client configuration of an in-cluster component (kube-proxy, DNS): --kubeconfig, or --master with the pod's
// ServiceAccount token, else client-node's default loading rules.
import { existsSync } from 'node:fs'
import { KubeConfig, type User } from '@kubernetes/client-node'

// A KubeConfig from --master (plain http works; the pod's ServiceAccount token when it has one) or --kubeconfig,
// else the default loading rules.
export function loadKubeConfig(opts: { master?: string; kubeconfig?: string }): KubeConfig {
  const kc = new KubeConfig()
  if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig)
  else if (!opts.master) kc.loadFromDefault()
  if (opts.master) {
    const current = opts.kubeconfig ? kc.getCurrentUser() : undefined
    kc.loadFromOptions({
      // Not verified: --master may name any address of the API server (kind's need not be in its certificate).
      clusters: [{ name: 'svcnet-proxy', server: opts.master, skipTLSVerify: true }],
      users: [current ?? serviceAccountUser('svcnet-proxy')],
      contexts: [{ name: 'svcnet-proxy', cluster: 'svcnet-proxy', user: current?.name ?? 'svcnet-proxy' }],
      currentContext: 'svcnet-proxy',
    })
  }
  return kc
}

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token'

// A user that sends the pod's ServiceAccount token (re-read as it changes, as client-node's in-cluster config does), or none.
function serviceAccountUser(name: string): User {
  if (!existsSync(SERVICE_ACCOUNT_TOKEN)) return { name }
  return { name, authProvider: { name: 'tokenFile', config: { tokenFile: SERVICE_ACCOUNT_TOKEN } } }
}
