// The files a pod's ServiceAccount volume holds (token, ca.crt, namespace), written beside the pod's logs.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** The credentials every lab pod gets (the lab has one pod token; it does not enforce RBAC). */
export interface ServiceAccountFiles {
  token: string
  /** PEM of the CA of the API server's serving certificate. */
  caCert: string
}

// Writes `<podDir>/serviceaccount/{token,ca.crt,namespace}` and returns that directory.
export async function writeServiceAccountFiles(
  podDir: string,
  namespace: string,
  sa: ServiceAccountFiles,
): Promise<string> {
  const dir = join(podDir, 'serviceaccount')
  await mkdir(dir, { recursive: true, mode: 0o755 })
  await Promise.all([
    writeFile(join(dir, 'token'), sa.token, { mode: 0o644 }),
    writeFile(join(dir, 'ca.crt'), sa.caCert, { mode: 0o644 }),
    writeFile(join(dir, 'namespace'), namespace, { mode: 0o644 }),
  ])
  return dir
}
