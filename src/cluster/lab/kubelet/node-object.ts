// The Node object the lab kubelet registers for each lab node: labels, taints, pod CIDR, addresses, Ready, capacity.
import type { KubeObject } from '../control-plane/apiserver/store.ts'
import type { LabNode } from '../network/topology.ts'

/** The kubelet version every lab node reports. */
export const KUBELET_VERSION = 'v1.34.0-svcnet'

/** Host facts a Node reports. */
export interface HostFacts {
  cpus: number
  memoryKi: number
  kernelVersion: string
}

// The Node object (with status) for one lab node.
export function nodeObject(node: LabNode, host: HostFacts, now: string): KubeObject {
  const controlPlane = node.role === 'control-plane'
  const capacity = {
    cpu: String(host.cpus),
    memory: `${host.memoryKi}Ki`,
    pods: '110',
    'ephemeral-storage': '10Gi',
  }
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: now,
    lastTransitionTime: now,
    reason,
    message,
  })
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': node.name,
        'kubernetes.io/os': 'linux',
        ...(controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
      },
      annotations: { 'svcnet.dev/netns': node.netns },
    },
    spec: {
      podCIDR: node.podCIDR,
      podCIDRs: [node.podCIDR],
      providerID: `svcnet-lab://${node.name}`,
      ...(controlPlane
        ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }
        : {}),
    },
    status: {
      capacity,
      allocatable: capacity,
      conditions: [
        condition(
          'MemoryPressure',
          'False',
          'KubeletHasSufficientMemory',
          'kubelet has sufficient memory available',
        ),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [
        { type: 'InternalIP', address: node.ip },
        { type: 'Hostname', address: node.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: '',
        systemUUID: '',
        bootID: '',
        kernelVersion: host.kernelVersion,
        osImage: 'svcnet lab (Linux network namespaces)',
        containerRuntimeVersion: 'svcnet-lab://0.1.0',
        kubeletVersion: KUBELET_VERSION,
        kubeProxyVersion: '',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  }
}
