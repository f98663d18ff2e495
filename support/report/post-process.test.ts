// Report finishing: run context and skip reasons in JUnit and Allure, and no analytics in the HTML.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  allureWithSkipReason,
  type AllureResultLike,
  externalLoads,
  junitWithContext,
  withoutAnalytics,
} from './post-process.ts'

const junit = `<?xml version="1.0"?>
<testsuite name="Cucumber" time="1" tests="2" skipped="1" failures="0" errors="0">
  <testcase classname="NodePort Service" name="A chosen node port" time="0">
    <skipped/>
  </testcase>
  <testcase classname="NodePort Service" name="Other" time="1">
  </testcase>
</testsuite>`

test('JUnit gets the run context as properties and the skip reason as the skipped message', () => {
  const out = junitWithContext(junit, { provider: 'lab', nodes: 'a 172.18.0.2 (control-plane)' }, [
    {
      feature: 'NodePort Service',
      scenario: 'A chosen node port',
      reason: 'the kind provider lacks outside-client',
    },
  ])
  assert.match(out, /<testsuite [^>]*>\n {2}<properties>\n {4}<property name="provider" value="lab"\/>/)
  assert.match(out, /<property name="nodes" value="a 172\.18\.0\.2 \(control-plane\)"\/>/)
  assert.match(out, /<skipped message="the kind provider lacks outside-client"\/>/)
  assert.equal(out.match(/<skipped/g)?.length, 1)
})

test('quotes and angle brackets in values are escaped', () => {
  const out = junitWithContext(junit, { cluster: 'never started: "x" <y>' }, [])
  assert.match(out, /value="never started: &quot;x&quot; &lt;y&gt;"/)
})

test('an Allure result skipped for a reason gets it as its status message; others are unchanged', () => {
  const skips = [{ feature: 'F', scenario: 'S', reason: 'skipped: the lab provider lacks load-balancer' }]
  const skipped: AllureResultLike = {
    name: 'S',
    status: 'skipped',
    labels: [{ name: 'feature', value: 'F' }],
  }
  assert.equal(allureWithSkipReason(skipped, skips).statusDetails?.message, skips[0]!.reason)
  const passed = { name: 'S', status: 'passed', labels: [{ name: 'feature', value: 'F' }] }
  assert.equal(allureWithSkipReason(passed, skips), passed)
  const otherFeature: AllureResultLike = {
    name: 'S',
    status: 'skipped',
    labels: [{ name: 'feature', value: 'G' }],
  }
  assert.equal(allureWithSkipReason(otherFeature, skips).statusDetails, undefined)
})

test('the analytics script is removed and nothing else loads from the network', () => {
  const html = `<head><script>window.x=1</script></head><body><div id="app"></div>
    <script async src="https://www.googletagmanager.com/gtag/js?id=G-LNDJ3J7WT0"></script>
    <script>
        window.dataLayer = window.dataLayer || [];
        function gtag(){dataLayer.push(arguments);}
        gtag('js', new Date());
        gtag('config', 'G-LNDJ3J7WT0', { "report": "awesome" });
    </script>
    <script>window.allureReportData = {}</script></body>`
  assert.equal(externalLoads(html).length, 1)
  const clean = withoutAnalytics(html)
  assert.deepEqual(externalLoads(clean), [])
  assert.match(clean, /window\.allureReportData/)
  assert.doesNotMatch(clean, /gtag/)
})
