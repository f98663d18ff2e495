// Cucumber parameter types for the words with a fixed vocabulary: a typo makes an undefined step, not a runtime error.
import { defineParameterType } from '@cucumber/cucumber'
import {
  NODE_NAMES,
  PROTOCOLS,
  SERVICE_TYPES,
  oneOf,
  parseDuration,
  parseProbabilities,
} from './parse/step-words.ts'

defineParameterType({
  name: 'service-type',
  regexp: oneOf(SERVICE_TYPES),
  transformer: (s: string) => s,
})

defineParameterType({ name: 'node', regexp: oneOf(NODE_NAMES), transformer: (s: string) => s })

defineParameterType({
  name: 'protocol',
  regexp: oneOf(PROTOCOLS),
  transformer: (s: string) => s.toLowerCase(),
})

defineParameterType({
  name: 'duration',
  regexp: /\d+ (?:milliseconds?|seconds?|minutes?)/,
  transformer: parseDuration,
})

defineParameterType({
  name: 'probabilities',
  regexp: /\d\.\d+(?:, \d\.\d+)*/,
  transformer: parseProbabilities,
})
