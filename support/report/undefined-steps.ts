// Sentences in the features that no step matches, and the catalogue steps closest to each (pure).
import type { StepDoc } from '../step-catalogue.ts'

// The text of every step cucumber reported as undefined in its messages (NDJSON), without repeats; lines that are
// not JSON (another run writing the same file) are counted in `unreadable`.
export function undefinedStepTexts(ndjson: string): { texts: string[]; unreadable: number } {
  let unreadable = 0
  const stepText = new Map<string, string>()
  const testStepToPickleStep = new Map<string, string>()
  const undefinedSteps = new Set<string>()
  for (const line of ndjson.split('\n')) {
    if (!line.trim()) continue
    let parsed: unknown
    try {
      parsed = JSON.parse(line)
    } catch {
      unreadable++
      continue
    }
    const m = parsed as {
      pickle?: { steps: Array<{ id: string; text: string }> }
      testCase?: { testSteps: Array<{ id: string; pickleStepId?: string }> }
      testStepFinished?: { testStepId: string; testStepResult: { status: string } }
    }
    for (const s of m.pickle?.steps ?? []) stepText.set(s.id, s.text)
    for (const s of m.testCase?.testSteps ?? [])
      if (s.pickleStepId) testStepToPickleStep.set(s.id, s.pickleStepId)
    if (m.testStepFinished?.testStepResult.status === 'UNDEFINED')
      undefinedSteps.add(m.testStepFinished.testStepId)
  }
  const texts = [...undefinedSteps].map((id) => stepText.get(testStepToPickleStep.get(id) ?? '') ?? '')
  return { texts: [...new Set(texts.filter((t) => t !== ''))], unreadable }
}

// Lower-case words of a sentence, with quoted strings and numbers as placeholders (as an expression's {string}/{int}).
function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/"[^"]*"|'[^']*'/g, ' {string} ')
    .replace(/\b\d+(\.\d+)?\b/g, ' {int} ')
    .split(/[^a-z0-9{}'-]+/)
    .filter((w) => w !== '')
}

// Edit distance between two word lists.
function distance(a: readonly string[], b: readonly string[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    prev = cur
  }
  return prev[b.length]!
}

// The `count` catalogue steps whose examples are closest, word by word, to the sentence.
export function closestSteps(text: string, docs: readonly StepDoc[], count = 3): StepDoc[] {
  const w = words(text)
  return docs
    .map((d) => ({ d, score: distance(w, words(d.example.replace(/^(Given|When|Then|And|But) /, ''))) }))
    .sort((a, b) => a.score - b.score)
    .slice(0, count)
    .map((x) => x.d)
}
