// Test support for the kind provider (not a test itself): fake `kind` and `docker` executables that record their argv
// in $FAKE_DIR/calls and answer as the real ones do, and a fake kind cluster's API (the lab's in-process API server
// with kind's nodes and coredns, and a loop playing the controllers).
import { chmod, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { MemoryStore } from '../lab/control-plane/apiserver/memory-store.ts'
import { startApiServer, type ApiServer } from '../lab/control-plane/apiserver/server.ts'
import { renderKubeconfig } from '../../kube/kubeconfig.ts'

// `kind`: get clusters / create / load / get kubeconfig / delete, with clusters kept in a file as kind keeps containers.
export const FAKE_KIND = `#!/bin/sh
echo "kind $*" >> "$FAKE_DIR/calls"
name=kind; prev=
for a in "$@"; do [ "$prev" = --name ] && name="$a"; prev="$a"; done
case "$1 $2" in
  "version "*) echo "kind v0.27.0 go1.23.6 linux/amd64" ;;
  "get clusters") if [ -s "$FAKE_DIR/clusters" ]; then /bin/cat "$FAKE_DIR/clusters"; else echo "No kind clusters found." >&2; fi ;;
  "create cluster")
    /bin/cat > "$FAKE_DIR/config.yaml"
    echo "Creating cluster \\"$name\\" ..." >&2
    echo "$name" >> "$FAKE_DIR/clusters"
    # Ctrl-C while kind creates: the provider (our parent) gets SIGINT.
    if [ -n "$FAKE_CREATE_INTERRUPTS" ]; then kill -INT "$PPID"; fi ;;
  "load docker-image")
    if [ -n "$FAKE_LOAD_FAILS" ]; then echo "ERROR: image: \\"$3\\" not present locally" >&2; exit 1; fi
    echo "Image: \\"$3\\" with ID \\"sha256:0123\\" not yet present on node \\"$name-worker\\", loading..." >&2 ;;
  "get kubeconfig") /bin/cat "$FAKE_DIR/kubeconfig" ;;
  "delete cluster")
    echo "Deleting cluster \\"$name\\" ..." >&2
    /bin/grep -vx "$name" "$FAKE_DIR/clusters" > "$FAKE_DIR/clusters.new"; /bin/mv "$FAKE_DIR/clusters.new" "$FAKE_DIR/clusters" ;;
  *) echo "ERROR: unknown command \\"$*\\" for \\"kind\\"" >&2; exit 1 ;;
esac
`

// `docker`: info (or the real message when the daemon is down), build, exec into a node container.
export const FAKE_DOCKER = `#!/bin/sh
echo "docker $*" >> "$FAKE_DIR/calls"
case "$1" in
  info)
    if [ -n "$FAKE_DOCKER_DOWN" ]; then
      echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2; exit 1
    fi
    echo "27.3.1" ;;
  build) echo "#0 building with \\"default\\" instance using docker driver" >&2 ;;
  exec)
    shift 2
    case "$1" in
      curl) printf 200 ;;
      iptables-save) printf '*nat\\n:KUBE-SERVICES - [0:0]\\nCOMMIT\\n' ;;
      *) echo "OCI runtime exec failed: exec: \\"$1\\": executable file not found in \\$PATH" >&2; exit 127 ;;
    esac ;;
  *) echo "docker: unknown command: docker $1" >&2; exit 1 ;;
esac
`

// Writes the fake executables into dir (put it first on PATH) and empties the call record and the cluster list.
export async function writeFakeTools(
  dir: string,
  tools: readonly ('kind' | 'docker')[] = ['kind', 'docker'],
): Promise<void> {
  for (const tool of tools) {
    await writeFile(join(dir, tool), tool === 'kind' ? FAKE_KIND : FAKE_DOCKER)
    await chmod(join(dir, tool), 0o755)
  }
  await writeFile(join(dir, 'calls'), '')
  await writeFile(join(dir, 'clusters'), '')
}

/** A fake kind cluster's API server. */
export interface FakeKindApi {
  store: MemoryStore
  server: ApiServer
  // Stops the controller loop and the server.
  close(): Promise<void>
}

// Starts the API of a kind cluster named `cluster` (3 nodes, coredns) and writes its kubeconfig to dir/kubeconfig,
// which the fake `kind get kubeconfig` prints.
export async function startFakeKindApi(dir: string, cluster: string): Promise<FakeKindApi> {
  const store = new MemoryStore({ admission: {} })
  const nodes = [
    [`${cluster}-control-plane`, '172.18.0.2', true],
    [`${cluster}-worker`, '172.18.0.3', false],
    [`${cluster}-worker2`, '172.18.0.4', false],
  ] as const
  for (const [name, ip, cp] of nodes) {
    store.create('nodes', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: cp ? { 'node-role.kubernetes.io/control-plane': '' } : {} },
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        addresses: [{ type: 'InternalIP', address: ip }],
      },
    })
  }
  store.create('deployments', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-dns' } },
        spec: { containers: [{ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.12.0' }] },
      },
    },
  })
  const server = await startApiServer({ store, port: 0, log: () => {} })
  await writeFile(join(dir, 'kubeconfig'), renderKubeconfig(`kind-${cluster}`, server.url))
  const controller = setInterval(() => actAsControllers(store, nodes.length), 10)
  return {
    store,
    server,
    close: async () => {
      clearInterval(controller)
      await server.close()
    },
  }
}

// Plays the cluster's controllers: marks the proxy DaemonSet and DNS Deployments ready, gives kube-dns an endpoint.
function actAsControllers(store: MemoryStore, nodes: number): void {
  const ds = store.get('daemonsets', 'kube-system', 'kube-proxy')
  if (ds && !(ds.status as { numberReady?: number } | undefined)?.numberReady) {
    store.update(
      'daemonsets',
      { ...ds, status: { numberReady: nodes, desiredNumberScheduled: nodes } },
      { subresource: 'status' },
    )
  }
  for (const name of ['svcnet-dns', 'coredns']) {
    const d = store.get('deployments', 'kube-system', name)
    if (d && !(d.status as { readyReplicas?: number } | undefined)?.readyReplicas) {
      store.update('deployments', { ...d, status: { readyReplicas: 2 } }, { subresource: 'status' })
    }
  }
  if (!store.get('endpointslices', 'kube-system', 'kube-dns-abcde')) {
    store.create('endpointslices', {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: 'kube-dns-abcde',
        namespace: 'kube-system',
        labels: { 'kubernetes.io/service-name': 'kube-dns' },
      },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.244.1.2'], conditions: { ready: true } }],
    })
  }
}
