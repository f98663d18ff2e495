// Puts a lab's context into a user's kubeconfig file (`lab up --kubeconfig PATH`) and takes it out at `lab down`.
import { existsSync } from 'node:fs'
import { appendFile, chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { mergeKubeconfig, removeFromKubeconfig } from '../../kube/kubeconfig-merge.ts'

/** The run-directory file listing the kubeconfig files a lab's context was merged into, one path a line. */
const EXPORTS_FILE = 'kubeconfig-exports'

// Merges the lab's kubeconfig into `path` (created 0600 if missing) and records the path for lab down.
export async function exportKubeconfig(runDir: string, labKubeconfig: string, path: string): Promise<string> {
  const target = resolve(path)
  const current = existsSync(target) ? await readFile(target, 'utf8') : undefined
  const merged = mergeKubeconfig(current, await readFile(labKubeconfig, 'utf8'), target)
  await mkdir(dirname(target), { recursive: true, mode: 0o700 })
  await writeFile(target, merged, { mode: 0o600 })
  await chmod(target, 0o600)
  await appendFile(join(runDir, EXPORTS_FILE), `${target}\n`, { mode: 0o600 })
  return target
}

// Removes the lab's context from every file it was merged into; returns the files changed (missing ones are skipped).
export async function unexportKubeconfig(runDir: string, context: string): Promise<string[]> {
  const record = join(runDir, EXPORTS_FILE)
  if (!existsSync(record)) return []
  const changed: string[] = []
  for (const path of new Set((await readFile(record, 'utf8')).split('\n').filter(Boolean))) {
    if (!existsSync(path)) continue
    await writeFile(path, removeFromKubeconfig(await readFile(path, 'utf8'), context, path), { mode: 0o600 })
    changed.push(path)
  }
  return changed
}
