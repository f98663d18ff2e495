// The k3s provider's plan: the k3s server flags (its kube-proxy and CoreDNS off, kind's CIDRs so deploy/ applies
// unchanged), the image build, save and import, and what is applied and waited for.
import { join } from 'node:path'
import { KIND_NETWORKING } from '../kind/config.ts'
import type { DeployPlan } from '../kind/deploy.ts'
import type { PlannedCommand } from '../kind/plan.ts'

/** How the k3s cluster is made. */
export interface K3sOptions {
  /** The k3s image. @default 'rancher/k3s:v1.33.1-k3s1' */
  k3sImage: string
  /** The svcnet image built from the Dockerfile and imported into k3s's containerd. */
  image: string
  /** The outside client's image (curl and dig), on the same docker network. */
  outsideImage: string
}

/** The defaults. */
export const DEFAULT_K3S_OPTIONS: K3sOptions = {
  k3sImage: 'rancher/k3s:v1.33.1-k3s1',
  image: 'svcnet/svcnet:dev',
  outsideImage: 'nicolaka/netshoot:v0.13',
}

/** What the k3s provider does. */
export interface K3sPlan extends DeployPlan {
  options: K3sOptions
  /** `k3s server` and its flags (the container's command). */
  serverCommand: string[]
  buildImage: PlannedCommand
  /** `docker save` of the svcnet image to a tar on the host. */
  saveImage: PlannedCommand
  /** Where the tar is copied in the k3s container, and the command that imports it there. */
  imageTarInContainer: string
  importImage: string[]
}

// Plans a k3s run; `tarPath` is the host file `docker save` writes.
export function planK3s(o: K3sOptions, repoRoot: string, tarPath: string): K3sPlan {
  const inContainer = '/tmp/svcnet-image.tar'
  return {
    options: o,
    serverCommand: [
      'server',
      '--disable=traefik,servicelb,metrics-server,coredns',
      '--disable-kube-proxy',
      '--disable-network-policy',
      `--cluster-cidr=${KIND_NETWORKING.podSubnet}`,
      `--service-cidr=${KIND_NETWORKING.serviceSubnet}`,
      // deploy/dns.yaml's kube-dns Service has this address; kubelet writes it into pods' resolv.conf.
      `--cluster-dns=${KIND_NETWORKING.dnsServiceIP}`,
    ],
    buildImage: {
      what: `build ${o.image} from the Dockerfile`,
      argv: ['docker', 'build', '--tag', o.image, '--file', join(repoRoot, 'Dockerfile'), repoRoot],
    },
    saveImage: {
      what: `save ${o.image} to ${tarPath}`,
      argv: ['docker', 'save', '--output', tarPath, o.image],
    },
    imageTarInContainer: inContainer,
    importImage: ['k3s', 'ctr', 'images', 'import', inContainer],
    manifests: [join(repoRoot, 'deploy', 'kube-proxy.yaml'), join(repoRoot, 'deploy', 'dns.yaml')],
    // --disable=coredns: there is none to delete, and no kube-dns Service either (deploy/dns.yaml brings one).
    deleteCoreDns: false,
    waitFor: { proxyDaemonSet: 'kube-system/kube-proxy', dnsDeployment: 'kube-system/svcnet-dns' },
  }
}
