// Kubeconfig for a lab: one cluster, one user, one context, named after the cluster.
import { KubeConfig } from '@kubernetes/client-node'
import { stringify } from 'yaml'

// The name of a lab's cluster, user and context in kubeconfig files: `svcnet-<cluster>` (kind uses `kind-<cluster>`).
export function labContextName(cluster: string): string {
  return `svcnet-${cluster}`
}

// Renders the kubeconfig YAML a user (or kubectl) loads to reach an API server at `server`.
export function renderKubeconfig(name: string, server: string): string {
  const context = labContextName(name)
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    // client-node refuses plain http unless TLS verification is off; the lab API server speaks http.
    clusters: [
      {
        name: context,
        cluster: { server, ...(server.startsWith('http:') ? { 'insecure-skip-tls-verify': true } : {}) },
      },
    ],
    users: [{ name: context, user: {} }],
    contexts: [{ name: context, context: { cluster: context, user: context } }],
    'current-context': context,
    preferences: {},
  })
}

// Loads a KubeConfig object from kubeconfig text.
export function kubeConfigFrom(text: string): KubeConfig {
  const kc = new KubeConfig()
  kc.loadFromString(text)
  return kc
}
