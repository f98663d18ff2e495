import { test } from 'node:test'
import assert from 'node:assert/strict'
import { nodeShellArgv, planNodeShells } from './node-shell.ts'

test('one privileged hostNetwork hostPID pod per node, pinned to it, in a run-named privileged namespace', () => {
  const plan = planNodeShells(['cp', 'w1'], 'r9')
  assert.equal(plan.namespace, 'svcnet-node-shell-r9')
  const [ns, ...pods] = plan.objects as {
    kind: string
    metadata: { name: string; labels: Record<string, string> }
    spec?: Record<string, unknown>
  }[]
  assert.equal(ns!.kind, 'Namespace')
  assert.equal(ns!.metadata.labels['pod-security.kubernetes.io/enforce'], 'privileged')
  assert.equal(pods.length, 2)
  assert.deepEqual(plan.podOfNode, { cp: 'node-shell-0', w1: 'node-shell-1' })
  const spec = pods[1]!.spec as {
    nodeName: string
    hostNetwork: boolean
    hostPID: boolean
    tolerations: unknown[]
    containers: { securityContext: { privileged: boolean }; image: string }[]
  }
  assert.equal(spec.nodeName, 'w1')
  assert.equal(spec.hostNetwork, true)
  assert.equal(spec.hostPID, true)
  assert.deepEqual(spec.tolerations, [{ operator: 'Exists' }], 'tainted control planes get one too')
  assert.equal(spec.containers[0]!.securityContext.privileged, true)
  assert.equal(pods[1]!.metadata.labels['svcnet.io/run'], 'r9')
})

test('a node command is kubectl exec into its shell, nsenter into PID 1 (the host)', () => {
  assert.deepEqual(
    nodeShellArgv('prod', 'svcnet-node-shell-r9', 'node-shell-1', ['iptables-save', '-t', 'nat']),
    [
      'kubectl',
      '--context',
      'prod',
      'exec',
      '--namespace',
      'svcnet-node-shell-r9',
      'node-shell-1',
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
      'iptables-save',
      '-t',
      'nat',
    ],
  )
})
