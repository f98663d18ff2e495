// Cucumber parameter types for the words with a fixed vocabulary: a typo makes an undefined step, not a runtime error.
import { defineParameterType } from '@cucumber/cucumber'
import { PARAMETER_TYPES } from './parameter-type-list.ts'

for (const t of PARAMETER_TYPES)
  defineParameterType({ name: t.name, regexp: t.regexp, transformer: t.transformer })
