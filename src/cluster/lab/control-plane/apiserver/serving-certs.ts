// The API server's TLS files: a lab CA and a serving certificate for its addresses, made with the openssl CLI.
import { chmod, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { run } from '../../../../exec/run.ts'

/** Where the serving certificate must be valid. */
export interface ServingCertOptions {
  /** Directory for ca.crt, ca.key, apiserver.crt, apiserver.key (should be 0700). */
  dir: string
  /** IP addresses the server is reached at (127.0.0.1, the control-plane node, the `kubernetes` Service IP). */
  ips: string[]
  /** DNS names (kubernetes, kubernetes.default.svc.cluster.local, the node name…). */
  dnsNames: string[]
  /** @default 365 */
  days?: number
}

/** PEM texts of the CA and of the serving key pair. */
export interface ServingCerts {
  caCert: string
  cert: string
  key: string
}

// The DNS names every API server certificate carries (kubeadm's list for the `kubernetes` Service).
export const KUBERNETES_SERVICE_NAMES = [
  'kubernetes',
  'kubernetes.default',
  'kubernetes.default.svc',
  'kubernetes.default.svc.cluster.local',
  'localhost',
]

// Makes a fresh CA and a serving certificate signed by it (EC P-256), writes them into dir (keys 0600), returns the PEMs.
export async function makeServingCerts(opts: ServingCertOptions): Promise<ServingCerts> {
  const f = (name: string) => join(opts.dir, name)
  const days = String(opts.days ?? 365)
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  await run('openssl', [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.crt'),
    '-days',
    days,
    '-subj',
    '/CN=svcnet-lab-ca',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ])
  const san = [...opts.ips.map((ip) => `IP:${ip}`), ...opts.dnsNames.map((d) => `DNS:${d}`)].join(',')
  await run('openssl', [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    f('apiserver.key'),
    '-out',
    f('apiserver.crt'),
    '-days',
    days,
    '-subj',
    '/CN=kube-apiserver',
    '-CA',
    f('ca.crt'),
    '-CAkey',
    f('ca.key'),
    '-addext',
    `subjectAltName=${san}`,
    '-addext',
    'basicConstraints=critical,CA:FALSE',
    '-addext',
    'keyUsage=critical,digitalSignature',
    '-addext',
    'extendedKeyUsage=serverAuth',
  ])
  await Promise.all(['ca.key', 'apiserver.key'].map((k) => chmod(f(k), 0o600)))
  const [caCert, cert, key] = await Promise.all(
    ['ca.crt', 'apiserver.crt', 'apiserver.key'].map((n) => readFile(f(n), 'utf8')),
  )
  return { caCert: caCert!, cert: cert!, key: key! }
}

// Writes a file only its owner can read (tokens, kubeconfigs, keys).
export async function writePrivateFile(path: string, text: string): Promise<void> {
  await writeFile(path, text, { mode: 0o600 })
  await chmod(path, 0o600)
}
