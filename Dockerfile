# The svcnet image: one image whose sub-commands are svcnet's kube-proxy (`svcnet proxy`), its cluster DNS
# (`svcnet dns serve`) and the lab workloads (`svcnet workload hello-app|nginx|netexec|pause`).
# deploy/*.yaml run it as svcnet/svcnet:dev with `command: ['svcnet', …]`; the kind provider builds it with
#   docker build --tag svcnet/svcnet:dev --file Dockerfile .
# and loads it into the nodes with `kind load docker-image`. Node 24 runs the TypeScript sources directly.
FROM node:24-bookworm-slim

# What the proxy runs on the node: iptables (legacy and nft backends), nft, ip, conntrack.
RUN apt-get update \
    && apt-get install -y --no-install-recommends iptables nftables iproute2 conntrack \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/svcnet
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY src/ src/
COPY deploy/ deploy/

# `svcnet` on PATH, as the manifests' command and the entrypoint name it.
RUN printf '#!/bin/sh\nexec node /opt/svcnet/src/cli/main.ts "$@"\n' > /usr/local/bin/svcnet \
    && chmod 0755 /usr/local/bin/svcnet

ENTRYPOINT ["svcnet"]
CMD ["--help"]
