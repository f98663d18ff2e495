// Kubeconfig text for a lab: one cluster, one user, one context, named after the cluster. Apart from kubeconfig.ts
// (which loads @kubernetes/client-node) so the lab daemon and `lab down` can write and name one without that cost.
import { stringify } from 'yaml'

// The name of a lab's cluster, user and context in kubeconfig files: `svcnet-<cluster>` (kind uses `kind-<cluster>`).
export function labContextName(cluster: string): string {
  return `svcnet-${cluster}`
}

/** The credentials a kubeconfig carries and the CA it trusts. */
export interface KubeconfigAuth {
  /** A bearer token (the lab API server's admin token). */
  token?: string
  /** PEM of the CA that signed an https server's certificate. */
  caCert?: string
}

// Renders the kubeconfig YAML a user (or kubectl) loads to reach an API server at `server`, with the user's credentials.
export function renderKubeconfig(name: string, server: string, auth: KubeconfigAuth = {}): string {
  const context = labContextName(name)
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    // client-node refuses plain http unless TLS verification is off; the lab API server speaks http.
    clusters: [
      {
        name: context,
        cluster: {
          server,
          ...(server.startsWith('http:') ? { 'insecure-skip-tls-verify': true } : {}),
          ...(auth.caCert
            ? { 'certificate-authority-data': Buffer.from(auth.caCert).toString('base64') }
            : {}),
        },
      },
    ],
    users: [{ name: context, user: auth.token ? { token: auth.token } : {} }],
    contexts: [{ name: context, context: { cluster: context, user: context } }],
    'current-context': context,
    preferences: {},
  })
}
