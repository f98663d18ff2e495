// The argv that runs a command inside a running pod: its network namespace (with /etc/netns files), hostname and env.

// Builds `ip netns exec <netns> nsenter --uts --target <pid> -- env -i K=V… <argv>`.
export function podExecArgv(
  netns: string,
  containerPid: number,
  env: Readonly<Record<string, string>>,
  argv: readonly string[],
): string[] {
  const pairs = Object.entries({
    PATH: process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    ...env,
  }).map(([k, v]) => `${k}=${v}`)
  return [
    'ip',
    'netns',
    'exec',
    netns,
    'nsenter',
    '--uts',
    '--target',
    String(containerPid),
    '--',
    'env',
    '-i',
    ...pairs,
    ...argv,
  ]
}

/** Where a pod finds its ServiceAccount token, CA and namespace, as on every Kubernetes node. */
export const SERVICE_ACCOUNT_MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount'

// The argv that starts a container: its own UTS namespace with the pod's hostname, then exec of the program.
// With a ServiceAccount directory, that directory is bind-mounted read-only at the standard path inside the
// mount namespace `ip netns exec` gives the process (the host's mount table is unchanged).
export function containerStartArgv(
  hostname: string,
  argv: readonly string[],
  serviceAccountDir?: string,
): string[] {
  if (!serviceAccountDir)
    return ['unshare', '--uts', '--', 'sh', '-c', 'hostname "$0" && exec "$@"', hostname, ...argv]
  const mount = `mkdir -p ${SERVICE_ACCOUNT_MOUNT} && mount --bind -o ro "$1" ${SERVICE_ACCOUNT_MOUNT}`
  return [
    'unshare',
    '--uts',
    '--',
    'sh',
    '-c',
    `hostname "$0" && ${mount} && shift && exec "$@"`,
    hostname,
    serviceAccountDir,
    ...argv,
  ]
}
