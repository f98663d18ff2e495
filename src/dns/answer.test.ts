// Table-driven question → answer cases from ../../../shared/reference/dns.md (the spec, then CoreDNS's behaviour).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { answer, type DnsAnswer } from './answer.ts'
import { DEFAULT_ANSWER_CONFIG, type AnswerConfig } from './config.ts'
import { presentation } from './records.ts'
import { TEST_SERIAL, testIndex } from './test-objects.ts'

/** One case: the question, the expected rcode and sections (presentation strings, compared sorted). */
interface Case {
  q: string
  t: string
  rcode: DnsAnswer['rcode'] | 'FORWARD'
  answer?: string[]
  additional?: string[]
  /** Expected authority; by default a negative answer must carry exactly the zone's SOA, a positive none. */
  authority?: string[]
  chase?: DnsAnswer['chase']
  cfg?: Partial<AnswerConfig>
  synced?: boolean
}

const SOA = `cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. ${TEST_SERIAL} 7200 1800 86400 30`
const CFG: AnswerConfig = { ...DEFAULT_ANSWER_CONFIG, selfIPs: ['10.244.0.5'] }
const Z = 'svc.cluster.local.'

const CASES: Case[] = [
  // §1.3.2 ClusterIP services: A, AAAA, dual stack, NODATA for the other family.
  {
    q: `kubernetes.default.${Z}`,
    t: 'A',
    rcode: 'NOERROR',
    answer: [`kubernetes.default.${Z} 30 IN A 10.96.0.1`],
  },
  { q: `svc1.testns.${Z}`, t: 'A', rcode: 'NOERROR', answer: [`svc1.testns.${Z} 30 IN A 10.0.0.1`] },
  { q: `svc1.testns.${Z}`, t: 'AAAA', rcode: 'NOERROR' },
  {
    q: `svc6.testns.${Z}`,
    t: 'AAAA',
    rcode: 'NOERROR',
    answer: [`svc6.testns.${Z} 30 IN AAAA 1234:abcd::1`],
  },
  { q: `svc6.testns.${Z}`, t: 'A', rcode: 'NOERROR' },
  { q: `dual.testns.${Z}`, t: 'A', rcode: 'NOERROR', answer: [`dual.testns.${Z} 30 IN A 10.0.0.3`] },
  { q: `dual.testns.${Z}`, t: 'AAAA', rcode: 'NOERROR', answer: [`dual.testns.${Z} 30 IN AAAA fd00::3`] },
  { q: `no-ready.testns.${Z}`, t: 'A', rcode: 'NOERROR', answer: [`no-ready.testns.${Z} 30 IN A 10.0.0.7`] },
  // §2.1 case-insensitive matching; the owner echoes the question, targets keep the zone's case.
  {
    q: 'SvC1.TeStNs.sVc.cLuStEr.LoCaL.',
    t: 'A',
    rcode: 'NOERROR',
    answer: ['SvC1.TeStNs.sVc.cLuStEr.LoCaL. 30 IN A 10.0.0.1'],
  },
  {
    q: '_HTTP._tcp.svc1.testns.svc.CLUSTER.local.',
    t: 'SRV',
    rcode: 'NOERROR',
    answer: ['_HTTP._tcp.svc1.testns.svc.CLUSTER.local. 30 IN SRV 0 100 80 svc1.testns.svc.CLUSTER.local.'],
    additional: ['svc1.testns.svc.CLUSTER.local. 30 IN A 10.0.0.1'],
  },
  {
    q: 'nothere.testns.svc.CLUSTER.local.',
    t: 'A',
    rcode: 'NXDOMAIN',
    authority: [
      `CLUSTER.local. 30 IN SOA ns.dns.CLUSTER.local. hostmaster.CLUSTER.local. ${TEST_SERIAL} 7200 1800 86400 30`,
    ],
  },
  // SRV: bare name lists every port; _port._proto filters; weights floor(100/N); additional has the addresses.
  {
    q: `svc1.testns.${Z}`,
    t: 'SRV',
    rcode: 'NOERROR',
    answer: [`svc1.testns.${Z} 30 IN SRV 0 100 80 svc1.testns.${Z}`],
    additional: [`svc1.testns.${Z} 30 IN A 10.0.0.1`],
  },
  {
    q: `_https._tcp.kubernetes.default.${Z}`,
    t: 'SRV',
    rcode: 'NOERROR',
    answer: [`_https._tcp.kubernetes.default.${Z} 30 IN SRV 0 100 443 kubernetes.default.${Z}`],
    additional: [`kubernetes.default.${Z} 30 IN A 10.96.0.1`],
  },
  {
    q: `kube-dns.kube-system.${Z}`,
    t: 'SRV',
    rcode: 'NOERROR',
    answer: [
      `kube-dns.kube-system.${Z} 30 IN SRV 0 33 53 kube-dns.kube-system.${Z}`,
      `kube-dns.kube-system.${Z} 30 IN SRV 0 33 9153 kube-dns.kube-system.${Z}`,
    ],
    additional: [`kube-dns.kube-system.${Z} 30 IN A 10.96.0.10`],
  },
  {
    q: `_dns._udp.kube-dns.kube-system.${Z}`,
    t: 'SRV',
    rcode: 'NOERROR',
    answer: [`_dns._udp.kube-dns.kube-system.${Z} 30 IN SRV 0 100 53 kube-dns.kube-system.${Z}`],
    additional: [`kube-dns.kube-system.${Z} 30 IN A 10.96.0.10`],
  },
  {
    q: `dual.testns.${Z}`,
    t: 'SRV',
    rcode: 'NOERROR',
    answer: [`dual.testns.${Z} 30 IN SRV 0 50 80 dual.testns.${Z}`],
    additional: [`dual.testns.${Z} 30 IN A 10.0.0.3`, `dual.testns.${Z} 30 IN AAAA fd00::3`],
  },
  {
    q: `http.tcp.svc1.testns.${Z}`,
    t: 'SRV',
    rcode: 'NOERROR',
    answer: [`http.tcp.svc1.testns.${Z} 30 IN SRV 0 100 80 svc1.testns.${Z}`],
    additional: [`svc1.testns.${Z} 30 IN A 10.0.0.1`],
  },
  { q: `_http._udp.svc1.testns.${Z}`, t: 'SRV', rcode: 'NXDOMAIN' },
  { q: `_nope._tcp.svc1.testns.${Z}`, t: 'SRV', rcode: 'NXDOMAIN' },
  { q: `_tcp.svc1.testns.${Z}`, t: 'SRV', rcode: 'NXDOMAIN' },
  { q: `_tcp.svc1.testns.${Z}`, t: 'A', rcode: 'NXDOMAIN' },
  {
    q: `_http._tcp.svc1.testns.${Z}`,
    t: 'A',
    rcode: 'NOERROR',
    answer: [`_http._tcp.svc1.testns.${Z} 30 IN A 10.0.0.1`],
  },
  {
    q: `svc-unnamed.testns.${Z}`,
    t: 'SRV',
    rcode: 'NOERROR',
    answer: [`svc-unnamed.testns.${Z} 30 IN SRV 0 100 8080 svc-unnamed.testns.${Z}`],
    additional: [`svc-unnamed.testns.${Z} 30 IN A 10.0.0.5`],
  },
  { q: `_http._tcp.svc-unnamed.testns.${Z}`, t: 'SRV', rcode: 'NXDOMAIN' },
  // §1.3.3 headless: every ready address once, hostnames, dashed IPs, NXDOMAIN without ready endpoints.
  {
    q: `hdls1.testns.${Z}`,
    t: 'A',
    rcode: 'NOERROR',
    answer: ['172.0.0.2', '172.0.0.3', '172.0.0.5', '172.0.0.6'].map(
      (ip) => `hdls1.testns.${Z} 30 IN A ${ip}`,
    ),
  },
  {
    q: `hdls1.testns.${Z}`,
    t: 'AAAA',
    rcode: 'NOERROR',
    answer: ['5678:abcd::1', '5678:abcd::2'].map((ip) => `hdls1.testns.${Z} 30 IN AAAA ${ip}`),
  },
  {
    q: `ep-b.hdls1.testns.${Z}`,
    t: 'A',
    rcode: 'NOERROR',
    answer: [`ep-b.hdls1.testns.${Z} 30 IN A 172.0.0.3`],
  },
  {
    q: `172-0-0-2.hdls1.testns.${Z}`,
    t: 'A',
    rcode: 'NOERROR',
    answer: [`172-0-0-2.hdls1.testns.${Z} 30 IN A 172.0.0.2`],
  },
  { q: `172-0-0-3.hdls1.testns.${Z}`, t: 'A', rcode: 'NXDOMAIN' },
  { q: `172-0-0-4.hdls1.testns.${Z}`, t: 'A', rcode: 'NXDOMAIN' },
  {
    q: `5678-abcd--1.hdls1.testns.${Z}`,
    t: 'AAAA',
    rcode: 'NOERROR',
    answer: [`5678-abcd--1.hdls1.testns.${Z} 30 IN AAAA 5678:abcd::1`],
  },
  {
    q: `dup-name.hdls1.testns.${Z}`,
    t: 'A',
    rcode: 'NOERROR',
    answer: [`dup-name.hdls1.testns.${Z} 30 IN A 172.0.0.5`, `dup-name.hdls1.testns.${Z} 30 IN A 172.0.0.6`],
  },
  {
    // 7 (address, port) entries before de-duplication → weight 14; slice port 8080 (targetPort), not 80.
    q: `_http._tcp.hdls1.testns.${Z}`,
    t: 'SRV',
    rcode: 'NOERROR',
    answer: ['172-0-0-2', 'ep-b', 'dup-name', '5678-abcd--1', '5678-abcd--2'].map(
      (h) => `_http._tcp.hdls1.testns.${Z} 30 IN SRV 0 14 8080 ${h}.hdls1.testns.${Z}`,
    ),
    additional: [
      `172-0-0-2.hdls1.testns.${Z} 30 IN A 172.0.0.2`,
      `ep-b.hdls1.testns.${Z} 30 IN A 172.0.0.3`,
      `dup-name.hdls1.testns.${Z} 30 IN A 172.0.0.5`,
      `dup-name.hdls1.testns.${Z} 30 IN A 172.0.0.6`,
      `5678-abcd--1.hdls1.testns.${Z} 30 IN AAAA 5678:abcd::1`,
      `5678-abcd--2.hdls1.testns.${Z} 30 IN AAAA 5678:abcd::2`,
    ],
  },
  { q: `hdls-empty.testns.${Z}`, t: 'A', rcode: 'NXDOMAIN' },
  { q: `hdls-empty.testns.${Z}`, t: 'SRV', rcode: 'NXDOMAIN' },
  {
    q: `hdls-noports.testns.${Z}`,
    t: 'A',
    rcode: 'NOERROR',
    answer: [`hdls-noports.testns.${Z} 30 IN A 172.0.0.10`],
  },
  { q: `hdls-noports.testns.${Z}`, t: 'SRV', rcode: 'NOERROR' },
  // §2.4 endpoint names under a ClusterIP service, and endpoint_pod_names.
  {
    q: `ep1a.svc1.testns.${Z}`,
    t: 'A',
    rcode: 'NOERROR',
    answer: [`ep1a.svc1.testns.${Z} 30 IN A 172.0.0.1`],
  },
  { q: `172-0-0-1.svc1.testns.${Z}`, t: 'A', rcode: 'NXDOMAIN' },
  { q: `svc1-pod-2.svc1.testns.${Z}`, t: 'A', rcode: 'NXDOMAIN' },
  {
    q: `svc1-pod-2.svc1.testns.${Z}`,
    t: 'A',
    rcode: 'NOERROR',
    answer: [`svc1-pod-2.svc1.testns.${Z} 30 IN A 172.0.0.2`],
    cfg: { endpointPodNames: true },
  },
  // §1.3.4 ExternalName: CNAME, chased in the zone, handed to the server outside it.
  {
    q: `external.testns.${Z}`,
    t: 'A',
    rcode: 'NOERROR',
    answer: [`external.testns.${Z} 30 IN CNAME ext.interwebs.test.`],
    chase: { name: 'ext.interwebs.test.', type: 'A' },
  },
  {
    q: `external.testns.${Z}`,
    t: 'TXT',
    rcode: 'NOERROR',
    answer: [`external.testns.${Z} 30 IN CNAME ext.interwebs.test.`],
    chase: { name: 'ext.interwebs.test.', type: 'TXT' },
  },
  {
    q: `external.testns.${Z}`,
    t: 'CNAME',
    rcode: 'NOERROR',
    answer: [`external.testns.${Z} 30 IN CNAME ext.interwebs.test.`],
  },
  { q: `external.testns.${Z}`, t: 'SRV', rcode: 'NOERROR' },
  { q: `_http._tcp.external.testns.${Z}`, t: 'SRV', rcode: 'NXDOMAIN' },
  { q: `ep.external.testns.${Z}`, t: 'A', rcode: 'NXDOMAIN' },
  {
    q: `external-to-service.testns.${Z}`,
    t: 'A',
    rcode: 'NOERROR',
    answer: [
      `external-to-service.testns.${Z} 30 IN CNAME svc1.testns.${Z}`,
      `svc1.testns.${Z} 30 IN A 10.0.0.1`,
    ],
  },
  { q: `external-to-service.testns.${Z}`, t: 'AAAA', rcode: 'NOERROR' },
  { q: `external-ip.testns.${Z}`, t: 'A', rcode: 'NXDOMAIN' },
  { q: `loop.testns.${Z}`, t: 'A', rcode: 'NOERROR' },
  { q: `svc1.testns.${Z}`, t: 'CNAME', rcode: 'NOERROR' },
  // §2.7 pods insecure (kind's default), disabled, verified.
  {
    q: '1-2-3-4.testns.pod.cluster.local.',
    t: 'A',
    rcode: 'NOERROR',
    answer: ['1-2-3-4.testns.pod.cluster.local. 30 IN A 1.2.3.4'],
  },
  { q: '1-2-3-4.testns.pod.cluster.local.', t: 'AAAA', rcode: 'NOERROR' },
  {
    q: 'fd00-10-244--5.testns.pod.cluster.local.',
    t: 'AAAA',
    rcode: 'NOERROR',
    answer: ['fd00-10-244--5.testns.pod.cluster.local. 30 IN AAAA fd00:10:244::5'],
  },
  { q: '1-2-3-4.nons.pod.cluster.local.', t: 'A', rcode: 'NXDOMAIN' },
  { q: '1-2-3.testns.pod.cluster.local.', t: 'A', rcode: 'NXDOMAIN' },
  { q: 'testns.pod.cluster.local.', t: 'A', rcode: 'NOERROR' },
  { q: 'testns.pod.cluster.local.', t: 'A', rcode: 'NXDOMAIN', cfg: { pods: 'disabled' } },
  { q: '1-2-3-4.testns.pod.cluster.local.', t: 'A', rcode: 'NXDOMAIN', cfg: { pods: 'disabled' } },
  {
    q: '10-244-1-7.testns.pod.cluster.local.',
    t: 'A',
    rcode: 'NOERROR',
    answer: ['10-244-1-7.testns.pod.cluster.local. 30 IN A 10.244.1.7'],
    cfg: { pods: 'verified' },
  },
  { q: '10-244-1-8.testns.pod.cluster.local.', t: 'A', rcode: 'NXDOMAIN', cfg: { pods: 'verified' } },
  { q: '10-244-1-7.default.pod.cluster.local.', t: 'A', rcode: 'NXDOMAIN', cfg: { pods: 'verified' } },
  // §2.1/§2.3 name states: namespaces, svc/pod, apex; invalid and too-long names; no wildcards.
  { q: `testns.${Z}`, t: 'A', rcode: 'NOERROR' },
  { q: `nons.${Z}`, t: 'A', rcode: 'NXDOMAIN' },
  { q: Z, t: 'A', rcode: 'NOERROR' },
  { q: 'pod.cluster.local.', t: 'A', rcode: 'NOERROR' },
  { q: 'cluster.local.', t: 'A', rcode: 'NOERROR' },
  { q: 'cluster.local.', t: 'SOA', rcode: 'NOERROR', answer: [SOA] },
  {
    q: 'cluster.local.',
    t: 'NS',
    rcode: 'NOERROR',
    answer: [`cluster.local. 30 IN NS kube-dns.kube-system.${Z}`],
    additional: [`kube-dns.kube-system.${Z} 30 IN A 10.96.0.10`],
  },
  {
    q: 'ns.dns.cluster.local.',
    t: 'A',
    rcode: 'NOERROR',
    answer: ['ns.dns.cluster.local. 30 IN A 10.96.0.10'],
  },
  {
    q: 'cluster.local.',
    t: 'NS',
    rcode: 'NOERROR',
    answer: ['cluster.local. 30 IN NS ns.dns.cluster.local.'],
    additional: ['ns.dns.cluster.local. 30 IN A 10.1.2.3'],
    cfg: { selfIPs: ['10.1.2.3'] },
  },
  { q: 'foo.cluster.local.', t: 'A', rcode: 'NXDOMAIN' },
  { q: `*.testns.${Z}`, t: 'A', rcode: 'NXDOMAIN' },
  { q: `any.testns.${Z}`, t: 'A', rcode: 'NXDOMAIN' },
  { q: `a.b.c.svc1.testns.${Z}`, t: 'A', rcode: 'NXDOMAIN' },
  { q: `kubernetes.default.testns.${Z}`, t: 'A', rcode: 'NXDOMAIN' },
  // §1.3.1 dns-version, and quirk 1 (other types NXDOMAIN).
  {
    q: 'dns-version.cluster.local.',
    t: 'TXT',
    rcode: 'NOERROR',
    answer: ['dns-version.cluster.local. 28800 IN TXT "1.1.0"'],
  },
  { q: 'dns-version.cluster.local.', t: 'A', rcode: 'NXDOMAIN' },
  // §2.3 other types: NODATA on existing names, NXDOMAIN elsewhere; SOA below the apex is NODATA (quirk 3).
  { q: `svc1.testns.${Z}`, t: 'TXT', rcode: 'NOERROR' },
  { q: `svc1.testns.${Z}`, t: 'MX', rcode: 'NOERROR' },
  { q: `nothere.testns.${Z}`, t: 'MX', rcode: 'NXDOMAIN' },
  { q: `svc1.testns.${Z}`, t: 'UNKNOWN_65', rcode: 'NOERROR' },
  { q: `svc1.testns.${Z}`, t: 'ANY', rcode: 'NOERROR' },
  { q: `svc1.testns.${Z}`, t: 'PTR', rcode: 'NOERROR' },
  { q: `svc1.testns.${Z}`, t: 'NS', rcode: 'NOERROR' },
  { q: `svc1.testns.${Z}`, t: 'SOA', rcode: 'NOERROR' },
  { q: `nothere.testns.${Z}`, t: 'SOA', rcode: 'NOERROR' },
  { q: `svc1.testns.${Z}`, t: 'AXFR', rcode: 'REFUSED', authority: [] },
  // §2.5 PTR: ClusterIP first, else every endpoint holding the IP; misses fall through to the upstreams.
  {
    q: '1.0.0.10.in-addr.arpa.',
    t: 'PTR',
    rcode: 'NOERROR',
    answer: [`1.0.0.10.in-addr.arpa. 30 IN PTR svc1.testns.${Z}`],
  },
  {
    q: '2.0.0.172.in-addr.arpa.',
    t: 'PTR',
    rcode: 'NOERROR',
    answer: [
      `2.0.0.172.in-addr.arpa. 30 IN PTR 172-0-0-2.hdls1.testns.${Z}`,
      `2.0.0.172.in-addr.arpa. 30 IN PTR 172-0-0-2.svc1.testns.${Z}`,
    ],
  },
  {
    q: '3.0.0.172.in-addr.arpa.',
    t: 'PTR',
    rcode: 'NOERROR',
    answer: [`3.0.0.172.in-addr.arpa. 30 IN PTR ep-b.hdls1.testns.${Z}`],
  },
  {
    q: '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.4.3.2.1.ip6.arpa.',
    t: 'PTR',
    rcode: 'NOERROR',
    answer: [
      `1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.4.3.2.1.ip6.arpa. 30 IN PTR svc6.testns.${Z}`,
    ],
  },
  {
    q: '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.D.C.B.A.8.7.6.5.IP6.ARPA.',
    t: 'PTR',
    rcode: 'NOERROR',
    answer: [
      `1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.D.C.B.A.8.7.6.5.IP6.ARPA. 30 IN PTR 5678-abcd--1.hdls1.testns.${Z}`,
    ],
  },
  { q: '9.9.9.9.in-addr.arpa.', t: 'PTR', rcode: 'FORWARD' },
  { q: '10.in-addr.arpa.', t: 'PTR', rcode: 'FORWARD' },
  { q: '1.0.0.10.in-addr.arpa.', t: 'A', rcode: 'FORWARD' },
  {
    q: '9.9.9.9.in-addr.arpa.',
    t: 'PTR',
    rcode: 'NXDOMAIN',
    authority: [
      `in-addr.arpa. 30 IN SOA ns.dns.in-addr.arpa. hostmaster.in-addr.arpa. ${TEST_SERIAL} 7200 1800 86400 30`,
    ],
    cfg: { reverseFallthrough: false },
  },
  // Outside the zone: forwarded.
  { q: 'example.com.', t: 'A', rcode: 'FORWARD' },
  { q: 'cluster.local.example.com.', t: 'A', rcode: 'FORWARD' },
  { q: 'xcluster.local.', t: 'A', rcode: 'FORWARD' },
  // §2.2 before the first sync: what would be NXDOMAIN is SERVFAIL (with the SOA); the rest answers.
  { q: `nothere.testns.${Z}`, t: 'A', rcode: 'SERVFAIL', synced: false },
  {
    q: `svc1.testns.${Z}`,
    t: 'A',
    rcode: 'NOERROR',
    answer: [`svc1.testns.${Z} 30 IN A 10.0.0.1`],
    synced: false,
  },
  // §2.10 ttl: every record but dns-version; the negative SOA's TTL is min(ttl, 300).
  {
    q: `svc1.testns.${Z}`,
    t: 'A',
    rcode: 'NOERROR',
    answer: [`svc1.testns.${Z} 5 IN A 10.0.0.1`],
    cfg: { ttl: 5 },
  },
  {
    q: `nothere.testns.${Z}`,
    t: 'A',
    rcode: 'NXDOMAIN',
    authority: [
      `cluster.local. 300 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. ${TEST_SERIAL} 7200 1800 86400 600`,
    ],
    cfg: { ttl: 600 },
  },
  {
    q: 'dns-version.cluster.local.',
    t: 'TXT',
    rcode: 'NOERROR',
    answer: ['dns-version.cluster.local. 28800 IN TXT "1.1.0"'],
    cfg: { ttl: 5 },
  },
  // Another zone name.
  {
    q: 'svc1.testns.svc.k8s.example.',
    t: 'A',
    rcode: 'NOERROR',
    answer: ['svc1.testns.svc.k8s.example. 30 IN A 10.0.0.1'],
    cfg: { zone: 'k8s.example' },
  },
  { q: `svc1.testns.${Z}`, t: 'A', rcode: 'FORWARD', cfg: { zone: 'k8s.example' } },
]

const sorted = (xs: string[]) => [...xs].sort()
const synced = testIndex()
const unsynced = testIndex({ synced: false })

for (const c of CASES) {
  const label = `${c.q} ${c.t}${c.cfg ? ` ${JSON.stringify(c.cfg)}` : ''}${c.synced === false ? ' (not synced)' : ''} → ${c.rcode}`
  test(label, () => {
    const cfg = { ...CFG, ...c.cfg }
    const got = answer({ name: c.q, type: c.t }, c.synced === false ? unsynced : synced, cfg)
    if (c.rcode === 'FORWARD') {
      assert.equal(got.forward, true, 'should be forwarded')
      return
    }
    assert.equal(got.forward, undefined, 'should not be forwarded')
    assert.equal(got.rcode, c.rcode)
    assert.deepEqual(sorted(got.answer.map(presentation)), sorted(c.answer ?? []), 'answer section')
    if (c.additional)
      assert.deepEqual(sorted(got.additional.map(presentation)), sorted(c.additional), 'additional')
    const negative = got.answer.length === 0 && c.rcode !== 'REFUSED'
    const soa = cfg.zone === 'cluster.local' ? SOA : undefined
    const authority = c.authority ?? (negative && soa ? [soa] : negative ? undefined : [])
    if (authority) assert.deepEqual(got.authority.map(presentation), authority, 'authority section')
    else assert.equal(got.authority.length, 1)
    assert.equal(got.aa, c.rcode !== 'REFUSED', 'AA')
    assert.deepEqual(got.chase, c.chase)
  })
}
