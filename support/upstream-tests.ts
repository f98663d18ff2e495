// The upstream Kubernetes e2e tests that scenarios port: the `@upstream:<slug>` tag names one, the report links to its source.

/** One upstream e2e test. */
export interface UpstreamTest {
  /** The test's full name as ginkgo prints it. */
  name: string
  /** Its source file in kubernetes/kubernetes. */
  file: string
}

const NETWORK = 'test/e2e/network'
const svc = (name: string): UpstreamTest => ({
  name: `[sig-network] Services ${name}`,
  file: `${NETWORK}/service.go`,
})
const granular = (name: string): UpstreamTest => ({
  name: `[sig-network] Networking Granular Checks: Services ${name}`,
  file: `${NETWORK}/networking.go`,
})
const dns = (name: string): UpstreamTest => ({ name: `[sig-network] DNS ${name}`, file: `${NETWORK}/dns.go` })

/** The upstream tests scenarios may name, by the slug used in `@upstream:<slug>` tags. */
export const UPSTREAM_TESTS: Readonly<Record<string, UpstreamTest>> = {
  'Services-should-be-able-to-create-a-functioning-NodePort-service': svc(
    'should be able to create a functioning NodePort service [Conformance]',
  ),
  'Services-should-prevent-NodePort-collisions': svc('should prevent NodePort collisions'),
  'Services-should-check-NodePort-out-of-range': svc('should check NodePort out-of-range'),
  'Services-should-release-NodePorts-on-delete': svc('should release NodePorts on delete'),
  'Services-should-serve-multiport-endpoints-from-pods': svc(
    'should serve multiport endpoints from pods [Conformance]',
  ),
  'Services-should-serve-a-basic-endpoint-from-pods': svc(
    'should serve a basic endpoint from pods [Conformance]',
  ),
  'Services-should-work-after-the-service-has-been-recreated': svc(
    'should work after the service has been recreated',
  ),
  'Services-should-be-rejected-when-no-endpoints-exist': svc('should be rejected when no endpoints exist'),
  'Services-should-allow-pods-to-hairpin-back-to-themselves-through-services': svc(
    'should allow pods to hairpin back to themselves through services',
  ),
  'Services-should-be-possible-to-connect-to-a-service-via-ExternalIP-when-the-external-IP-is-not-assigned-to-a-node':
    svc(
      'should be possible to connect to a service via ExternalIP when the external IP is not assigned to a node',
    ),
  'Services-should-have-session-affinity-work-for-service-with-type-clusterIP': svc(
    'should have session affinity work for service with type clusterIP [LinuxOnly] [Conformance]',
  ),
  'Services-should-have-session-affinity-timeout-work-for-service-with-type-clusterIP': svc(
    'should have session affinity timeout work for service with type clusterIP [LinuxOnly]',
  ),
  'Services-should-respect-internalTrafficPolicy-Local-Pod-to-Pod': svc(
    'should respect internalTrafficPolicy=Local Pod to Pod',
  ),
  'Networking-Granular-Checks-Services-should-function-for-pod-Service-http': granular(
    'should function for pod-Service: http',
  ),
  'Networking-Granular-Checks-Services-should-function-for-pod-Service-udp': granular(
    'should function for pod-Service: udp',
  ),
  'Networking-Granular-Checks-Services-should-support-basic-nodePort-udp-functionality': granular(
    'should support basic nodePort: udp functionality',
  ),
  'Conntrack-should-be-able-to-preserve-UDP-traffic-when-server-pod-cycles-for-a-ClusterIP-service': {
    name: '[sig-network] Conntrack should be able to preserve UDP traffic when server pod cycles for a ClusterIP service',
    file: `${NETWORK}/conntrack.go`,
  },
  'Conntrack-should-be-able-to-preserve-UDP-traffic-when-server-pod-cycles-for-a-NodePort-service': {
    name: '[sig-network] Conntrack should be able to preserve UDP traffic when server pod cycles for a NodePort service',
    file: `${NETWORK}/conntrack.go`,
  },
  'LoadBalancers-should-only-allow-access-from-service-loadbalancer-source-ranges': {
    name: '[sig-network] LoadBalancers [Feature:LoadBalancer] should only allow access from service loadbalancer source ranges [Slow]',
    file: `${NETWORK}/loadbalancer.go`,
  },
  'Networking-Granular-Checks-Services-should-function-for-multiple-endpoint-Services-with-same-selector':
    granular('should function for multiple endpoint-Services with same selector'),
  'Networking-Granular-Checks-Services-should-update-nodePort-http': granular(
    'should update nodePort: http [Slow]',
  ),
  'Networking-Granular-Checks-Services-should-update-endpoints-http': granular(
    'should update endpoints: http',
  ),
  'Pods-should-contain-environment-variables-for-services': {
    name: '[sig-node] Pods should contain environment variables for services [NodeConformance] [Conformance]',
    file: 'test/e2e/common/node/pods.go',
  },
  'DNS-should-provide-DNS-for-services': dns('should provide DNS for services [Conformance]'),
  'DNS-should-resolve-DNS-of-partial-qualified-names-for-services': dns(
    'should resolve DNS of partial qualified names for services [LinuxOnly] [Conformance]',
  ),
  'DNS-should-provide-DNS-for-ExternalName-services': dns(
    'should provide DNS for ExternalName services [Conformance]',
  ),
}

// The upstream test a tag names (`@upstream:<slug>`), with the address of its source; throws for an unknown slug.
export function upstreamLink(tag: string): { name: string; url: string } {
  const slug = tag.replace(/^@upstream[:=]/, '')
  const test = UPSTREAM_TESTS[slug]
  if (!test)
    throw new Error(
      `unknown upstream test in tag ${tag}: add it to UPSTREAM_TESTS in support/upstream-tests.ts`,
    )
  return {
    name: `${test.name} (${test.file.split('/').pop()})`,
    url: `https://github.com/kubernetes/kubernetes/blob/master/${test.file}`,
  }
}
