// The failure summary names what failed, where the traced packets go, which nodes' rules changed, and the components.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { evidenceSummary } from './summary.ts'

test('the summary reads as a few plain lines from the evidence', () => {
  const text = evidenceSummary({
    step: "the page is served on every node's IP at the node port, from outside the cluster",
    probes: [
      {
        at: 't',
        from: 'outside',
        url: 'http://172.18.0.2:31430/',
        answeredBy: undefined,
        outcome: 'http://172.18.0.2:31430/: HTTP 200: ok',
        times: 1,
      },
      {
        at: 't',
        from: 'outside',
        url: 'http://172.18.0.3:31430/?x',
        answeredBy: undefined,
        outcome: 'http://172.18.0.3:31430/: curl exit 7 (refused)',
        times: 23,
      },
    ],
    traces: [
      {
        name: 'proxy trace: 172.18.0.100 → 172.18.0.3:31430 on lab-worker.txt',
        text: 'x\n\ndestinations: REJECT 100%\n',
      },
    ],
    diffs: [
      { node: 'lab-control-plane', text: 'h\n\nno rule changed since the scenario started (3 rules).' },
      { node: 'lab-worker', text: 'h\n2 rules added, 37 removed. Scenarios…' },
      { node: 'lab-worker2', text: 'h\n\nno rule changed since the scenario started (3 rules).' },
    ],
    service: { name: 'nginx', ready: ['10.244.1.5', '10.244.2.5'], notReady: 1 },
    components: [
      { name: 'kube-proxy', pods: 3, ready: 2 },
      { name: 'DNS', pods: 0, ready: 0 },
    ],
  })
  assert.equal(
    text,
    [
      'What the evidence below shows (each attachment has the details):',
      `- failed step: "the page is served on every node's IP at the node port, from outside the cluster"`,
      '- requests: 24 made, 23 failed: outside → http://172.18.0.3:31430/ (23)',
      '- proxy trace: 172.18.0.100 → 172.18.0.3:31430 on lab-worker: REJECT 100%',
      '- iptables rules since the scenario start: lab-control-plane, lab-worker2 unchanged; lab-worker 2 rules added, 37 removed',
      '- service nginx: 2 ready endpoints (10.244.1.5, 10.244.2.5), 1 not ready',
      '- kube-system: kube-proxy 3 pods, 2 ready; DNS 0 pods, 0 ready',
      '',
    ].join('\n'),
  )
})
