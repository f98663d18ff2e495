// pods/{name}/log?follow=true: streams a container's log as it grows, until the pod goes or the client leaves.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { PodStreams } from './pod-streams.ts'

// Serves one followed log; errors before the first byte (unknown pod, bad container) are thrown for a Status reply.
export async function serveLogFollow(
  req: IncomingMessage,
  res: ServerResponse,
  streams: PodStreams,
  namespace: string,
  pod: string,
  query: URLSearchParams,
): Promise<void> {
  const tail = query.get('tailLines')
  const target = {
    namespace,
    pod,
    container: query.get('container') || undefined,
    ...(tail !== null ? { tailLines: Number(tail) } : {}),
    ...(query.get('timestamps') === 'true' ? { timestamps: true } : {}),
  }
  const stop = new AbortController()
  const leave = () => stop.abort()
  req.on('close', leave)
  res.on('close', leave)
  const chunks = streams.followLog(target, stop.signal)[Symbol.asyncIterator]()
  try {
    const first = await chunks.next()
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache, private' })
    req.socket.setNoDelay(true)
    if (!first.done) res.write(first.value)
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
      if (!res.writableEnded) res.write(next.value)
    }
    if (!res.writableEnded) res.end()
  } finally {
    stop.abort()
    await chunks.return?.()
  }
}
