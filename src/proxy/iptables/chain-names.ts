// Chain names exactly as upstream kube-proxy (iptables mode) computes them: base32(sha256(...))[:16].
import { hash } from 'node:crypto'

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

// Encodes bytes with RFC 4648 base32 (standard alphabet, no padding).
export function base32(bytes: Uint8Array): string {
  let bits = 0
  let value = 0
  let out = ''
  for (const b of bytes) {
    value = ((value << 8) | b) & 0xffff
    bits += 8
    while (bits >= 5) {
      out += BASE32_ALPHABET[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += BASE32_ALPHABET[(value << (5 - bits)) & 31]
  return out
}

// First 16 base32 characters of sha256(text).
function hash16(text: string): string {
  // 16 base32 characters are 80 bits: the first 10 bytes of the digest are all that is encoded.
  return base32(hash('sha256', text, 'buffer').subarray(0, 10))
}

// The 16-character hash shared by a service port's SVC/SVL/EXT/FW chains (protocol in lower case).
export function portProtoHash(servicePortName: string, protocol: string): string {
  return hash16(servicePortName + protocol.toLowerCase())
}

/** The four service-level chains of one service port. */
export interface ServiceChains {
  /** KUBE-SVC-H: endpoints for Cluster traffic policy. */
  cluster: string
  /** KUBE-SVL-H: endpoints for Local traffic policy. */
  local: string
  /** KUBE-EXT-H: external destinations (NodePort, external IPs, LB IPs). */
  external: string
  /** KUBE-FW-H: loadBalancerSourceRanges firewall. */
  firewall: string
}

// Names of a service port's KUBE-SVC/SVL/EXT/FW chains.
export function serviceChainNames(servicePortName: string, protocol: string): ServiceChains {
  const h = portProtoHash(servicePortName, protocol)
  return {
    cluster: `KUBE-SVC-${h}`,
    local: `KUBE-SVL-${h}`,
    external: `KUBE-EXT-${h}`,
    firewall: `KUBE-FW-${h}`,
  }
}

// Name of the KUBE-SEP chain of one endpoint (`endpoint` is `ip:port`, IPv6 as `[ip]:port`).
export function endpointChainName(servicePortName: string, protocol: string, endpoint: string): string {
  return `KUBE-SEP-${hash16(servicePortName + protocol.toLowerCase() + endpoint)}`
}

/** Prefixes of the per-service chains kube-proxy owns in the nat table. */
export const SERVICE_CHAIN_PREFIXES = [
  'KUBE-SVC-',
  'KUBE-SVL-',
  'KUBE-SEP-',
  'KUBE-FW-',
  'KUBE-EXT-',
] as const

// True for a per-service chain name (candidates for stale-chain deletion).
export function isServiceChainName(chain: string): boolean {
  return SERVICE_CHAIN_PREFIXES.some((p) => chain.startsWith(p))
}
