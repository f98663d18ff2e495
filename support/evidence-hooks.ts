// Hooks the failure evidence needs: every node's rules at the scenario start (for the diff), the step running now.
import { Before, BeforeStep } from '@cucumber/cucumber'
import { enterStep, recordRuleBaselines } from './evidence/scenario-state.ts'
import type { SvcWorld } from './world.ts'

Before(
  { name: "record every node's nat and filter rules (a failure shows what changed since)" },
  async function (this: SvcWorld) {
    await recordRuleBaselines(this)
  },
)

BeforeStep(function (this: SvcWorld, { pickleStep }) {
  enterStep(this, pickleStep.text)
})
