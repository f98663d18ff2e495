// Node access on a cluster we did not build: one privileged hostNetwork, hostPID pod per node (nsenter into the host),
// in a namespace of its own that is deleted afterwards.
import type { KubernetesObject } from '@kubernetes/client-node'

/** The default image: Debian's util-linux (essential there) provides nsenter. */
export const NODE_SHELL_IMAGE = 'debian:bookworm-slim'

/** The namespace and pods that give node access, and which pod serves which node. */
export interface NodeShellPlan {
  namespace: string
  objects: KubernetesObject[]
  podOfNode: Record<string, string>
}

// Plans the node shells for these nodes; `runId` keeps two runs apart and names what to delete.
export function planNodeShells(
  nodes: readonly string[],
  runId: string,
  image = NODE_SHELL_IMAGE,
): NodeShellPlan {
  const namespace = `svcnet-node-shell-${runId}`
  const labels = { 'app.kubernetes.io/part-of': 'svcnet', 'svcnet.io/run': runId }
  const podOfNode: Record<string, string> = {}
  const pods = nodes.map((node, i) => {
    const name = `node-shell-${i}`
    podOfNode[node] = name
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace, labels: { ...labels, 'svcnet.io/node': node } },
      spec: {
        nodeName: node,
        hostNetwork: true,
        hostPID: true,
        tolerations: [{ operator: 'Exists' }],
        terminationGracePeriodSeconds: 0,
        automountServiceAccountToken: false,
        containers: [
          {
            name: 'shell',
            image,
            command: ['sleep', 'infinity'],
            securityContext: { privileged: true },
          },
        ],
      },
    }
  })
  return {
    namespace,
    podOfNode,
    objects: [
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        // Pod Security Admission would refuse privileged pods in a namespace without this label.
        metadata: {
          name: namespace,
          labels: { ...labels, 'pod-security.kubernetes.io/enforce': 'privileged' },
        },
      },
      ...pods,
    ],
  }
}

// The kubectl argv that runs argv on the node's host: exec into its shell pod, nsenter PID 1's namespaces.
export function nodeShellArgv(
  context: string,
  namespace: string,
  pod: string,
  argv: readonly string[],
): string[] {
  return [
    'kubectl',
    '--context',
    context,
    'exec',
    '--namespace',
    namespace,
    pod,
    '--',
    'nsenter',
    '--target',
    '1',
    '--mount',
    '--uts',
    '--ipc',
    '--net',
    '--pid',
    '--',
    ...argv,
  ]
}
