import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parse } from 'yaml'
import { mergeKubeconfig, removeFromKubeconfig } from './kubeconfig-merge.ts'

const lab = (name: string, server: string) => `apiVersion: v1
kind: Config
clusters: [{ name: svcnet-${name}, cluster: { server: "${server}" } }]
users: [{ name: svcnet-${name}, user: { token: t-${name} } }]
contexts: [{ name: svcnet-${name}, context: { cluster: svcnet-${name}, user: svcnet-${name} } }]
current-context: svcnet-${name}
`
const mine = `apiVersion: v1
kind: Config
clusters: [{ name: prod, cluster: { server: "https://prod:6443" } }]
users: [{ name: me, user: { token: secret } }]
contexts: [{ name: prod, context: { cluster: prod, user: me } }]
current-context: prod
preferences: { colors: true }
`

test('a lab context is merged beside the user own ones, replaced on a second merge, and taken out again', () => {
  const once = mergeKubeconfig(mine, lab('dev', 'https://127.0.0.1:1'))
  const twice = parse(mergeKubeconfig(once, lab('dev', 'https://127.0.0.1:2')))
  assert.deepEqual(
    twice.clusters.map((c: { name: string }) => c.name),
    ['prod', 'svcnet-dev'],
  )
  assert.equal(twice.clusters[1].cluster.server, 'https://127.0.0.1:2')
  assert.equal(twice['current-context'], 'svcnet-dev')
  assert.deepEqual(twice.preferences, { colors: true })
  const back = parse(removeFromKubeconfig(mergeKubeconfig(mine, lab('dev', 'x')), 'svcnet-dev'))
  assert.deepEqual(back.clusters, parse(mine).clusters)
  assert.deepEqual(back.users, parse(mine).users)
  assert.deepEqual(back.contexts, parse(mine).contexts)
  assert.equal(back['current-context'], '')
})

test('a missing or empty file is a new kubeconfig; a broken one is refused by name', () => {
  assert.equal(parse(mergeKubeconfig(undefined, lab('a', 'x')))['current-context'], 'svcnet-a')
  assert.equal(parse(mergeKubeconfig('', lab('a', 'x'))).contexts.length, 1)
  assert.throws(
    () => mergeKubeconfig('- just a list', lab('a', 'x'), '/root/.kube/config'),
    /\/root\/\.kube\/config is not a kubeconfig/,
  )
  assert.throws(() => mergeKubeconfig('clusters: 3', lab('a', 'x'), 'k'), /k: clusters must be a list/)
})
