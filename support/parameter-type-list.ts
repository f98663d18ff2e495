// The suite's own parameter types, as data: registered with cucumber by parameter-types.ts, used by the step catalogue.
import {
  NODE_NAMES,
  PROTOCOLS,
  SERVICE_TYPES,
  oneOf,
  parseDuration,
  parseProbabilities,
} from './parse/step-words.ts'

/** One parameter type: its name in step expressions, what it matches, what it becomes, in words. */
export interface SuiteParameterType {
  name: string
  regexp: RegExp
  transformer: (text: string) => unknown
  /** What a reader may write there. */
  words: string
}

/** Every parameter type the steps use beyond cucumber's built-in ones ({int}, {string}, {word}, …). */
export const PARAMETER_TYPES: readonly SuiteParameterType[] = [
  {
    name: 'service-type',
    regexp: oneOf(SERVICE_TYPES),
    transformer: (s) => s,
    words: SERVICE_TYPES.join(', '),
  },
  { name: 'node', regexp: oneOf(NODE_NAMES), transformer: (s) => s, words: NODE_NAMES.join(', ') },
  {
    name: 'protocol',
    regexp: oneOf(PROTOCOLS),
    transformer: (s) => s.toLowerCase(),
    words: 'tcp, udp, sctp (or upper case)',
  },
  {
    name: 'duration',
    regexp: /\d+ (?:milliseconds?|seconds?|minutes?)/,
    transformer: parseDuration,
    words: '10 seconds, 2 minutes, 500 milliseconds',
  },
  {
    name: 'probabilities',
    regexp: /\d\.\d+(?:, \d\.\d+)*/,
    transformer: parseProbabilities,
    words: 'a comma-separated list such as 0.3333333333, 0.5000000000',
  },
  {
    name: 'ip',
    regexp: /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/,
    transformer: (s) => s,
    words: 'an IPv4 address such as 10.96.123.45',
  },
]
