// Loaded only by the break-it run (support/report/break-it.cucumber.mjs): before the first Then step of a scenario
// that SVCNET_BREAK names, breaks that component; after the scenario, mends it.
import { After, BeforeStep } from '@cucumber/cucumber'
import type { SvcWorld } from '../world.ts'
import { breakComponent, breakPlan } from './break-it.ts'

const plan = breakPlan(process.env.SVCNET_BREAK)
const mends = new WeakMap<SvcWorld, () => Promise<void>>()

BeforeStep(async function (this: SvcWorld, { pickle, pickleStep }) {
  const kind = plan[pickle.name]
  if (!kind || mends.has(this) || pickleStep.type !== 'Outcome') return
  mends.set(this, async () => {})
  const { done, mend } = await breakComponent(kind, {
    cluster: this.cluster,
    namespace: this.namespace,
    ...(this.deployment ? { deployment: this.deployment } : {}),
  })
  mends.set(this, mend)
  process.stderr.write(`break-it: ${pickle.name}: ${done}\n`)
  this.attach(`broken on purpose before "${pickleStep.text}": ${done}`, {
    mediaType: 'text/plain',
    fileName: 'broken on purpose.txt',
  })
})

After({ name: 'mend what the break-it run broke' }, async function (this: SvcWorld) {
  await mends.get(this)?.()
})
