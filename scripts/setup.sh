#!/usr/bin/env bash
# Installs what svcnet needs on a fresh Debian machine: the lab's system tools (apt) and the project's
# own Node >= 22 plus its packages (npm ci). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for tool in ip:iproute2 iptables:iptables curl:curl dig:dnsutils conntrack:conntrack unshare:util-linux nsenter:util-linux ss:iproute2 modprobe:kmod nc:netcat-openbsd; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || need+=("${tool#*:}")
done
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing packages ${need[*]}; run this script as root to install them" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $(printf '%s\n' "${need[@]}" | sort -u) >/dev/null
fi
# Bridged pod-to-service traffic needs br_netfilter (like every kube-proxy in iptables mode).
if [ "$(id -u)" -eq 0 ] && ! [ -e /proc/sys/net/bridge/bridge-nf-call-iptables ]; then
  modprobe br_netfilter || echo "setup: warning: could not load br_netfilter; pod-to-service hairpin traffic may fail" >&2
fi
npm ci --no-fund --no-audit
echo "setup: ready ($(node_modules/.bin/node --version), $(iptables --version))"
