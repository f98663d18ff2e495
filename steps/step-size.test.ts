// Step definitions stay thin: each body is at most 6 lines (parsing and assertions live in support/).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

const here = import.meta.dirname

// The number of lines in each step's function body, by the step's first line.
function stepBodySizes(source: string): Array<{ step: string; lines: number }> {
  const lines = source.split('\n')
  const out: Array<{ step: string; lines: number }> = []
  for (let i = 0; i < lines.length; i++) {
    if (!/^(Given|When|Then)\(/.test(lines[i]!)) continue
    let open = i
    while (open < lines.length && !/(function\b.*|^\s*\))\s*\{\s*$/.test(lines[open]!)) open++
    let close = open + 1
    while (close < lines.length && !/^\s*\}\)?,?\)?\s*$/.test(lines[close]!)) close++
    out.push({ step: lines[i]!.trim().slice(0, 100), lines: close - open - 1 })
  }
  return out
}

test('a step body is counted from its function line to its closing brace', () => {
  const source = [
    "When('x {int}', async function (this: W, n: number) {",
    '  await a(n)',
    '  await b(n)',
    '})',
  ].join('\n')
  assert.deepEqual(stepBodySizes(source), [
    { step: "When('x {int}', async function (this: W, n: number) {", lines: 2 },
  ])
})

test('every step body in steps/ is at most 6 lines', () => {
  const sizes = readdirSync(here)
    .filter((f) => f.endsWith('-steps.ts'))
    .flatMap((f) => stepBodySizes(readFileSync(join(here, f), 'utf8')).map((s) => ({ ...s, file: f })))
  assert.ok(sizes.length >= 40, `found only ${sizes.length} steps`)
  const long = sizes.filter((s) => s.lines > 6 || s.lines < 1)
  assert.deepEqual(long, [], 'steps whose bodies are not 1-6 lines')
})
