// Kubeconfig for a lab: one cluster, one user, one context, named after the cluster (kubeconfig-render.ts), and the
// client-node KubeConfig of kubeconfig text.
import { KubeConfig } from '@kubernetes/client-node'

export { labContextName, renderKubeconfig, type KubeconfigAuth } from './kubeconfig-render.ts'

// Loads a KubeConfig object from kubeconfig text.
export function kubeConfigFrom(text: string): KubeConfig {
  const kc = new KubeConfig()
  kc.loadFromString(text)
  return kc
}
