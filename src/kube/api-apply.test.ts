import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { MemoryStore } from '../cluster/lab/control-plane/apiserver/memory-store.ts'
import { startApiServer, type ApiServer } from '../cluster/lab/control-plane/apiserver/server.ts'
import { applyObjects } from './api-apply.ts'
import { ApiClient } from './api-client.ts'

let server: ApiServer
let store: MemoryStore
let client: ApiClient
before(async () => {
  store = new MemoryStore()
  server = await startApiServer({ store, log: () => {} })
  client = new ApiClient({ server: server.url })
})
after(async () => {
  client.close()
  await server.close()
})

const configMaps = () => '/api/v1/namespaces/default/configmaps'
const cm = (value: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings', namespace: 'default' },
  data: { value },
})

test('applyObjects creates an object, then replaces it with the current resourceVersion', async () => {
  await applyObjects(client, [{ object: cm('one'), source: 'a.yaml' }], configMaps)
  const first = store.get('configmaps', 'default', 'settings')!
  await applyObjects(client, [{ object: cm('two'), source: 'a.yaml' }], configMaps)
  const second = store.get('configmaps', 'default', 'settings') as {
    data?: Record<string, string>
  } & typeof first
  assert.deepEqual(second.data, { value: 'two' })
  assert.notEqual(second.metadata.resourceVersion, first.metadata.resourceVersion)
  assert.equal(second.metadata.uid, first.metadata.uid)
})

test("a refused object's error names it, its source and the API server's message", async () => {
  const bad = { ...cm('x'), metadata: { name: 'Not_A_Name', namespace: 'default' } }
  await assert.rejects(
    applyObjects(client, [{ object: bad, source: 'b.yaml:3' }], configMaps),
    /^Error: applying ConfigMap Not_A_Name from b\.yaml:3: .*Not_A_Name.* \(HTTP 422\)$/,
  )
})
