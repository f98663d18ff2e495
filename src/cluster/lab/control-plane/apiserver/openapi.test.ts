import { test } from 'node:test'
import assert from 'node:assert/strict'
import { openApiIndex, serveOpenApi } from './openapi.ts'

type Doc = {
  paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; [k: string]: unknown }>>
  components: { schemas: Record<string, { properties?: Record<string, Record<string, unknown>> }> }
}

test('the /openapi/v3 index names one document per served group/version, with a hash', () => {
  const paths = openApiIndex().paths as Record<string, { serverRelativeURL: string }>
  assert.match(paths['api/v1']!.serverRelativeURL, /^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/)
  assert.ok(paths['apis/apps/v1'])
  assert.ok(paths['apis/discovery.k8s.io/v1'])
  assert.equal(serveOpenApi('/openapi/v3/apis/nothing.example/v1'), undefined)
})

test('each PATCH names its kind and accepts fieldValidation (kubectl then validates on the server)', () => {
  const doc = serveOpenApi('/openapi/v3/apis/apps/v1') as unknown as Doc
  const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']!.patch!
  assert.deepEqual(patch['x-kubernetes-group-version-kind'], {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
  })
  assert.ok(patch.parameters!.some((p) => p.name === 'fieldValidation' && p.in === 'query'))
  const nodes = (serveOpenApi('/openapi/v3/api/v1') as unknown as Doc).paths['/api/v1/nodes/{name}']
  assert.ok(nodes?.patch, 'cluster-scoped resources have no namespace in their path')
})

test('schemas follow the models: Service.spec.ports[] is a ServicePort with an integer port', () => {
  const { schemas } = (serveOpenApi('/openapi/v3/api/v1') as unknown as Doc).components
  const svc = schemas['io.k8s.api.core.v1.Service'] as Record<string, unknown>
  assert.deepEqual(svc['x-kubernetes-group-version-kind'], [{ group: '', version: 'v1', kind: 'Service' }])
  const { description, ...ports } = schemas['io.k8s.api.core.v1.ServiceSpec']!.properties!.ports!
  assert.deepEqual(ports, {
    type: 'array',
    items: { allOf: [{ $ref: '#/components/schemas/io.k8s.api.core.v1.ServicePort' }] },
  })
  assert.match(String(description), /^The list of ports that are exposed by this service\./)
  const port = schemas['io.k8s.api.core.v1.ServicePort'] as {
    required?: string[]
    properties: Record<string, unknown>
  }
  assert.deepEqual(port.properties.port, {
    description: 'The port that will be exposed by this service.',
    type: 'integer',
    format: 'int32',
  })
  assert.deepEqual(port.required, ['port'], 'kubectl explain marks it -required-')
  assert.ok(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']?.properties?.labels)
})
