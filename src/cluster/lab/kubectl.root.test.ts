// The real kubectl against a lab, replaying the tutorial: create, expose, curl from outside and from a pod, scale,
// describe, logs -f, exec, port-forward, edit, patch, apply/delete -f with validation, get --watch.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, writeFile, chmod } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { run, start, type StartedProcess } from '../../exec/run.ts'
import { waitFor } from '../../wait/wait-for.ts'
import { labUp, type LabRun } from './lab-up.ts'
import { destroyLab } from './teardown.ts'

const isRoot = process.getuid?.() === 0

// A free loopback port for port-forward to listen on.
async function freePort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve))
  const port = (srv.address() as { port: number }).port
  await new Promise<void>((resolve) => srv.close(() => resolve()))
  return port
}

test(
  'the real kubectl replays the tutorial against a lab',
  { skip: !isRoot && 'needs root (network namespaces)', timeout: 300_000 },
  async (t: TestContext) => {
    const cluster = `kc${Math.random().toString(36).slice(2, 6)}`
    const dir = await mkdtemp(join(tmpdir(), 'svcnet-kubectl-'))
    const lab: LabRun = await labUp({ cluster, workers: 2 })
    const background: StartedProcess[] = []
    const kubectl = (
      args: string[],
      opts: { stdin?: string; allowFailure?: boolean; env?: Record<string, string>; timeoutMs?: number } = {},
    ) => run('kubectl', ['--kubeconfig', lab.kubeconfigPath, ...args], { timeoutMs: 60_000, ...opts })
    const kubectlInBackground = (name: string, args: string[]) => {
      const p = start('kubectl', ['--kubeconfig', lab.kubeconfigPath, ...args], { logFile: join(dir, name) })
      background.push(p)
      return () => readFile(join(dir, name), 'utf8')
    }
    const outsideCurl = (url: string) =>
      run('curl', ['-sS', '-m', '3', url], { netns: lab.topology.outside.netns, allowFailure: true })
    const jsonpath = async (what: string[], path: string) =>
      (await kubectl(['get', ...what, '-o', `jsonpath=${path}`])).stdout.trim()
    try {
      await t.test('create deployment, wait and rollout status', async () => {
        await kubectl([
          'create',
          'deployment',
          'hello',
          '--image=gcr.io/google-samples/hello-app:1.0',
          '--port=8080',
          '--replicas=2',
        ])
        const rollout = await kubectl(['rollout', 'status', 'deployment/hello', '--timeout=90s'])
        assert.match(rollout.stdout, /deployment "hello" successfully rolled out/)
        const wait = await kubectl(['wait', '--for=condition=Available', 'deployment/hello', '--timeout=30s'])
        assert.match(wait.stdout, /deployment.apps\/hello condition met/)
      })

      let nodePort = ''
      let clusterIP = ''
      await t.test(
        'expose as NodePort: get svc shows the real columns; curl from outside reaches it',
        async () => {
          await kubectl([
            'expose',
            'deployment',
            'hello',
            '--type=NodePort',
            '--port=80',
            '--target-port=8080',
          ])
          nodePort = await jsonpath(['svc', 'hello'], '{.spec.ports[0].nodePort}')
          clusterIP = await jsonpath(['svc', 'hello'], '{.spec.clusterIP}')
          const table = (await kubectl(['get', 'svc', 'hello'])).stdout.split('\n')
          assert.match(table[0]!, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/)
          assert.match(
            table[1]!,
            new RegExp(`^hello\\s+NodePort\\s+${clusterIP}\\s+<none>\\s+80:${nodePort}/TCP\\s+`),
          )
          const node = lab.topology.nodes.find((n) => n.role === 'worker')!
          const body = await waitFor({
            what: `NodePort ${node.ip}:${nodePort} to answer from the outside client`,
            check: async () => {
              const r = await outsideCurl(`http://${node.ip}:${nodePort}/`)
              return r.exitCode === 0 ? { done: true, value: r.stdout } : { done: false, seen: r.stderr }
            },
          })
          assert.match(body, /^Hello, world!\nVersion: 1\.0\.0\nHostname: hello-/)
        },
      )

      await t.test('get -o wide and --show-labels, ep and endpointslices', async () => {
        const pods = (await kubectl(['get', 'pods', '-l', 'app=hello', '-o', 'wide', '--show-labels'])).stdout
        assert.match(pods.split('\n')[0]!, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+.*LABELS$/)
        assert.match(
          pods,
          new RegExp(
            `^hello-\\S+\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+10\\.244\\.\\d+\\.\\d+\\s+${cluster}-`,
            'm',
          ),
        )
        assert.match(pods, /app=hello,pod-template-hash=\w+$/m)
        const ep = (await kubectl(['get', 'ep', 'hello'])).stdout
        assert.match(ep, /^NAME\s+ENDPOINTS\s+AGE\nhello\s+10\.244\.\d+\.\d+:8080,10\.244\.\d+\.\d+:8080\s/)
        const slices = (await kubectl(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=hello']))
          .stdout
        assert.match(slices.split('\n')[0]!, /^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE$/)
        assert.match(slices, /IPv4\s+8080\s+10\.244\.\d+\.\d+,10\.244\.\d+\.\d+/)
      })

      await t.test(
        'exec: hostname, resolv.conf, env, stdin, stderr apart, the exit code, curl from inside',
        async () => {
          await kubectl(['run', 'tools', '--image=curlimages/curl', '--', 'sleep', '3600'])
          await kubectl(['wait', '--for=condition=Ready', 'pod/tools', '--timeout=60s'])
          assert.equal((await kubectl(['exec', 'tools', '--', 'hostname'])).stdout, 'tools\n')
          const resolv = (await kubectl(['exec', 'tools', '--', 'cat', '/etc/resolv.conf'])).stdout
          assert.match(resolv, /^nameserver 10\.96\.0\.10$/m)
          assert.match(resolv, /^search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local$/m)
          const env = (await kubectl(['exec', 'tools', '--', 'env'])).stdout
          assert.match(
            env,
            new RegExp(`^HELLO_SERVICE_HOST=${clusterIP}$`, 'm'),
            'service env vars of services created before the pod',
          )
          const cat = await kubectl(['exec', '-i', 'tools', '--', 'cat'], { stdin: 'typed in\n' })
          assert.equal(cat.stdout, 'typed in\n')
          const failed = await kubectl(
            ['exec', 'tools', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3'],
            {
              allowFailure: true,
            },
          )
          assert.equal(failed.exitCode, 3)
          assert.equal(failed.stdout, 'out\n')
          assert.match(failed.stderr, /^err\n/)
          const curl = await kubectl([
            'exec',
            'tools',
            '--',
            'curl',
            '-sS',
            '-m',
            '5',
            `http://${clusterIP}/`,
          ])
          assert.match(curl.stdout, /^Hello, world!/)
          const byName = await kubectl(['exec', 'tools', '--', 'curl', '-sS', '-m', '5', 'http://hello/'])
          assert.match(
            byName.stdout,
            /^Hello, world!/,
            'the pod resolves Service names through the cluster DNS',
          )
          const lookup = await kubectl(['exec', 'tools', '--', 'nslookup', 'hello'])
          assert.match(
            lookup.stdout,
            new RegExp(`Name:\\s+hello\\.default\\.svc\\.cluster\\.local\\nAddress: ${clusterIP}`),
          )
          const wrongContainer = await kubectl(['exec', 'tools', '-c', 'nope', '--', 'true'], {
            allowFailure: true,
          })
          assert.match(wrongContainer.stderr, /container nope is not valid for pod tools/)
          const missing = await kubectl(['exec', 'nope', '--', 'true'], { allowFailure: true })
          assert.match(missing.stderr, /pods "nope" not found/)
        },
      )

      await t.test('scale: describe svc shows the endpoints change', async () => {
        await kubectl(['scale', 'deployment', 'hello', '--replicas=3'])
        await kubectl(['rollout', 'status', 'deployment/hello', '--timeout=60s'])
        const ips = (await jsonpath(['pods', '-l', 'app=hello'], '{.items[*].status.podIP}'))
          .split(' ')
          .sort()
        assert.equal(ips.length, 3)
        const described = await waitFor({
          what: 'describe svc hello to list 3 endpoints',
          check: async () => {
            const out = (await kubectl(['describe', 'svc', 'hello'])).stdout
            const line = /^Endpoints:\s+(\S+)$/m.exec(out)?.[1] ?? ''
            return line.split(',').length === 3 ? { done: true, value: out } : { done: false, seen: line }
          },
        })
        const endpoints = /^Endpoints:\s+(\S+)$/m.exec(described)![1]!.split(',').sort()
        assert.deepEqual(
          endpoints,
          ips.map((ip) => `${ip}:8080`),
        )
        for (const field of [
          /^Selector:\s+app=hello$/m,
          /^Type:\s+NodePort$/m,
          new RegExp(`^IP:\\s+${clusterIP}$`, 'm'),
          /^Port:\s+<unset>\s+80\/TCP$/m,
          /^TargetPort:\s+8080\/TCP$/m,
          new RegExp(`^NodePort:\\s+<unset>\\s+${nodePort}/TCP$`, 'm'),
          /^Session Affinity:\s+None$/m,
          /^External Traffic Policy:\s+Cluster$/m,
          /^Events:/m,
        ])
          assert.match(described, field)
      })

      await t.test('logs and logs -f', async () => {
        const pod = (await jsonpath(['pods', '-l', 'app=hello'], '{.items[0].metadata.name}')).trim()
        const ip = await jsonpath(['pod', pod], '{.status.podIP}')
        const follow = kubectlInBackground('logs-f', ['logs', '-f', pod])
        await kubectl(['exec', 'tools', '--', 'curl', '-sS', '-m', '5', `http://${ip}:8080/followed`])
        await waitFor({
          what: `kubectl logs -f ${pod} to show the request for /followed`,
          check: async () => {
            const text = await follow()
            return text.includes('Serving request: /followed')
              ? { done: true, value: text }
              : { done: false, seen: text }
          },
          timeoutMs: 15_000,
        })
        assert.match((await kubectl(['logs', pod, '--tail=1'])).stdout, /Serving request: \/followed/)
        await kubectl([
          'run',
          'once',
          '--image=busybox',
          '--restart=Never',
          '--',
          'sh',
          '-c',
          'echo hi; echo there',
        ])
        await kubectl(['wait', '--for=jsonpath={.status.phase}=Succeeded', 'pod/once', '--timeout=30s'])
        const done = await kubectl(['logs', '-f', 'once'], { timeoutMs: 10_000 })
        assert.equal(done.stdout, 'hi\nthere\n', 'logs -f of a finished container prints its log and ends')
        // run -i attaches to the container's output; --rm deletes the pod; the exit code is the container's.
        const attached = await kubectl(
          [
            'run',
            '-i',
            '--rm',
            '--restart=Never',
            'attached',
            '--image=busybox',
            '--',
            'sh',
            '-c',
            'sleep 1; echo from-attach; exit 3',
          ],
          { allowFailure: true },
        )
        assert.match(attached.stdout, /^from-attach$/m)
        assert.equal(attached.exitCode, 3, attached.stderr)
      })

      await t.test('port-forward svc/, deploy/ and pod/ on 127.0.0.1', async () => {
        const pod = await jsonpath(['pods', '-l', 'app=hello'], '{.items[0].metadata.name}')
        for (const target of ['svc/hello', 'deployment/hello', `pod/${pod}`]) {
          const port = await freePort()
          const remote = target.startsWith('svc/') ? '80' : '8080'
          const log = kubectlInBackground(`pf-${port}`, [
            'port-forward',
            '--address',
            '127.0.0.1',
            target,
            `${port}:${remote}`,
          ])
          const body = await waitFor({
            what: `kubectl port-forward ${target} to answer on 127.0.0.1:${port}`,
            check: async () => {
              const r = await fetch(`http://127.0.0.1:${port}/`).then(
                (res) => res.text(),
                (err: Error) => err.message,
              )
              return r.startsWith('Hello, world!')
                ? { done: true, value: r }
                : { done: false, seen: `${r}; ${await log()}` }
            },
            timeoutMs: 20_000,
          })
          assert.match(body, /^Hello, world!/)
        }
      })

      await t.test('edit with EDITOR and patch (strategic, merge, json)', async () => {
        const editor = join(dir, 'editor.sh')
        await writeFile(
          editor,
          '#!/bin/sh\nsed -i "s/sessionAffinity: None/sessionAffinity: ClientIP/" "$1"\n',
        )
        await chmod(editor, 0o755)
        await kubectl(['edit', 'svc', 'hello'], { env: { EDITOR: editor } })
        assert.equal(await jsonpath(['svc', 'hello'], '{.spec.sessionAffinity}'), 'ClientIP')
        await kubectl(['patch', 'svc', 'hello', '-p', '{"metadata":{"labels":{"tier":"front"}}}'])
        await kubectl(['patch', 'svc', 'hello', '--type=merge', '-p', '{"spec":{"sessionAffinity":"None"}}'])
        await kubectl([
          'patch',
          'svc',
          'hello',
          '--type=json',
          '-p',
          '[{"op":"add","path":"/metadata/labels/env","value":"lab"}]',
        ])
        const shown = (await kubectl(['get', 'svc', 'hello', '--show-labels'])).stdout
        assert.match(shown, /app=hello,env=lab,tier=front/)
        assert.equal(await jsonpath(['svc', 'hello'], '{.spec.sessionAffinity}'), 'None')
      })

      await t.test(
        'apply -f validates (openapi), updates, and delete -f removes; create service --dry-run | apply',
        async () => {
          const manifest = join(dir, 'web.yaml')
          const yaml = (port: number) => `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: hello}
  ports: [{port: ${port}, targetPort: 8080}]
`
          await writeFile(manifest, yaml(80))
          assert.match((await kubectl(['apply', '-f', manifest])).stdout, /service\/web created/)
          await writeFile(manifest, yaml(81))
          assert.match((await kubectl(['apply', '-f', manifest])).stdout, /service\/web configured/)
          assert.equal(await jsonpath(['svc', 'web'], '{.spec.ports[0].port}'), '81')
          assert.match((await kubectl(['delete', '-f', manifest])).stdout, /service "web" deleted/)
          // A List (what `kubectl get -o yaml` writes) is validated on the client, against /openapi/v2.
          const list = (extra: string) => `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata: {name: listed}
  spec: {selector: {app: hello}, ports: [{port: 80${extra}}]}
`
          assert.match(
            (await kubectl(['apply', '-f', '-'], { stdin: list('') })).stdout,
            /service\/listed created/,
          )
          const badList = await kubectl(['apply', '-f', '-'], {
            stdin: list(', bogus: 1'),
            allowFailure: true,
          })
          assert.match(badList.stderr, /unknown field "bogus" in io\.k8s\.api\.core\.v1\.ServicePort/)
          const dry = await kubectl([
            'create',
            'service',
            'nodeport',
            'np',
            '--tcp=80:8080',
            '--node-port=32233',
            '--dry-run=client',
            '-o',
            'yaml',
          ])
          await kubectl(['apply', '-f', '-'], { stdin: dry.stdout })
          assert.equal(await jsonpath(['svc', 'np'], '{.spec.ports[0].nodePort}'), '32233')
        },
      )

      await t.test('apply --server-side creates, then drops what the manager stopped applying', async () => {
        const manifest = join(dir, 'ssa.yaml')
        const yaml = (ports: string) => `apiVersion: v1
kind: Service
metadata: {name: ssa}
spec:
  selector: {app: hello}
  ports: [${ports}]
`
        await writeFile(
          manifest,
          yaml('{port: 80, targetPort: 8080, name: http}, {port: 81, targetPort: 8080, name: alt}'),
        )
        assert.match(
          (await kubectl(['apply', '--server-side', '-f', manifest])).stdout,
          /service\/ssa serverside-applied/,
        )
        await kubectl(['label', 'svc', 'ssa', 'owner=someone-else'])
        await writeFile(manifest, yaml('{port: 80, targetPort: 8080, name: http}'))
        await kubectl(['apply', '--server-side', '-f', manifest])
        assert.equal(await jsonpath(['svc', 'ssa'], '{.spec.ports[*].port}'), '80')
        assert.equal(await jsonpath(['svc', 'ssa'], '{.metadata.labels.owner}'), 'someone-else')
        const bad = await kubectl(['apply', '--server-side', '-f', '-'], {
          stdin: yaml('{port: 80, prot: TCP}').replace('name: ssa', 'name: ssa2'),
          allowFailure: true,
        })
        assert.match(bad.stderr, /strict decoding error: unknown field "spec.ports\[0\].prot"/)
      })

      await t.test('get --watch sees pods go when the deployment scales down', async () => {
        const watch = kubectlInBackground('watch', [
          'get',
          'pods',
          '-l',
          'app=hello',
          '--watch',
          '--output-watch-events',
        ])
        await waitFor({
          what: 'the watch to list the pods',
          check: async () => {
            const text = await watch()
            return /ADDED/.test(text) ? { done: true, value: text } : { done: false, seen: text }
          },
          timeoutMs: 15_000,
        })
        await kubectl(['scale', 'deployment', 'hello', '--replicas=1'])
        await waitFor({
          what: 'the watch to show a pod deleted',
          check: async () => {
            const text = await watch()
            return /^DELETED\s+hello-/m.test(text) ? { done: true, value: text } : { done: false, seen: text }
          },
          timeoutMs: 30_000,
        })
      })
    } finally {
      for (const p of background) p.kill()
      await Promise.all(background.map((p) => p.exited))
      await destroyLab(cluster, lab.topology.runId)
      await rm(dir, { recursive: true, force: true })
    }
  },
)
