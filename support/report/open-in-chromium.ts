// Opens the single-file HTML report in headless Chromium (Debian's) over the DevTools protocol: what it fetched from
// the network, whether the app rendered, and a screenshot.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import WebSocket from 'ws'
import { start } from '../../src/exec/run.ts'
import { waitFor } from '../../src/wait/wait-for.ts'

/** What the browser saw. */
export interface ReportOpening {
  /** The http(s) requests the page tried to make (each was stopped before it left the browser). */
  networkRequests: string[]
  /** Elements the app rendered into #app (0: a blank page). */
  renderedElements: number
  /** The page's visible text, first 300 characters. */
  text: string
}

/** The flags that keep Chromium itself from calling home (so every request seen is the page's). */
export const QUIET_CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-default-apps',
  '--remote-debugging-port=0',
  '--window-size=1400,1000',
  // Nothing resolves: even a request that slipped past the interception below could not leave this machine.
  '--host-resolver-rules=MAP * ~NOTFOUND',
]

// A tiny DevTools protocol client: send a command, get its result.
function cdp(ws: WebSocket) {
  let id = 0
  const pending = new Map<number, (msg: { result?: unknown; error?: { message: string } }) => void>()
  const listeners: Array<
    (msg: { method?: string; params?: Record<string, unknown>; sessionId?: string }) => void
  > = []
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as {
      id?: number
      method?: string
      params?: Record<string, unknown>
      result?: unknown
      error?: { message: string }
    }
    if (msg.id !== undefined) pending.get(msg.id)?.(msg)
    else for (const l of listeners) l(msg)
  })
  return {
    send: (method: string, params: Record<string, unknown> = {}, sessionId?: string) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const n = ++id
        pending.set(n, (msg) =>
          msg.error
            ? reject(new Error(`${method}: ${msg.error.message}`))
            : resolve(msg.result as Record<string, unknown>),
        )
        ws.send(JSON.stringify({ id: n, method, params, ...(sessionId ? { sessionId } : {}) }))
      }),
    on: (l: (typeof listeners)[number]) => listeners.push(l),
  }
}

// Opens `htmlFile` (at `#fragment`, e.g. a test result's id), waits until the app rendered (or the deadline), saves a
// PNG screenshot, and reports what it saw.
export async function openInChromium(
  htmlFile: string,
  screenshotFile: string,
  timeoutMs = 30_000,
  fragment?: string,
): Promise<ReportOpening> {
  const profile = mkdtempSync(join(tmpdir(), 'svcnet-chromium-'))
  const browser = start('chromium', [...QUIET_CHROMIUM_FLAGS, `--user-data-dir=${profile}`, 'about:blank'], {
    logFile: join(profile, 'chromium.log'),
  })
  try {
    const portFile = join(profile, 'DevToolsActivePort')
    const [port, path] = await waitFor({
      what: `headless Chromium to open its DevTools port (${portFile})`,
      timeoutMs: 20_000,
      check: async () =>
        existsSync(portFile) && readFileSync(portFile, 'utf8').includes('\n')
          ? { done: true, value: readFileSync(portFile, 'utf8').trim().split('\n') as [string, string] }
          : { done: false, seen: 'no DevToolsActivePort file yet' },
    })
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`)
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('error', reject)
    })
    const c = cdp(ws)
    const networkRequests: string[] = []
    // Every http(s) request the page makes is paused here, recorded and failed: none is ever sent.
    c.on((msg) => {
      if (msg.method !== 'Fetch.requestPaused') return
      const url = String((msg.params?.request as { url?: string } | undefined)?.url ?? '')
      networkRequests.push(url)
      void c.send(
        'Fetch.failRequest',
        { requestId: msg.params?.requestId, errorReason: 'BlockedByClient' },
        msg.sessionId,
      )
    })
    const { targetId } = await c.send('Target.createTarget', { url: 'about:blank' })
    const { sessionId } = (await c.send('Target.attachToTarget', { targetId, flatten: true })) as {
      sessionId: string
    }
    await c.send(
      'Fetch.enable',
      { patterns: [{ urlPattern: 'http://*' }, { urlPattern: 'https://*' }] },
      sessionId,
    )
    await c.send('Page.enable', {}, sessionId)
    // A test result's page is long: a tall window shows its steps and their evidence in one screenshot.
    if (fragment)
      await c.send(
        'Emulation.setDeviceMetricsOverride',
        { width: 1400, height: 3200, deviceScaleFactor: 1, mobile: false },
        sessionId,
      )
    const url = `${pathToFileURL(htmlFile).href}${fragment ? `#${fragment}` : ''}`
    await c.send('Page.navigate', { url }, sessionId)
    const evaluate = async (expression: string): Promise<unknown> =>
      (
        (await c.send('Runtime.evaluate', { expression, returnByValue: true }, sessionId)).result as {
          value?: unknown
        }
      )?.value
    const rendered = await waitFor({
      what: `the report ${htmlFile} to render its app (elements in #app and visible text)`,
      timeoutMs,
      intervalMs: 250,
      check: async () => {
        const n = Number(await evaluate(`document.querySelectorAll('#app *').length`))
        const text = String(await evaluate('document.body ? document.body.innerText : ""'))
        return n > 20 && text.trim().length > 50
          ? { done: true, value: { n, text } }
          : { done: false, seen: `${n} elements in #app, text "${text.slice(0, 80)}"` }
      },
    }).catch((err: Error) => ({ n: 0, text: err.message }))
    const shot = (await c.send('Page.captureScreenshot', { format: 'png' }, sessionId)) as { data: string }
    writeFileSync(screenshotFile, Buffer.from(shot.data, 'base64'))
    ws.close()
    return { networkRequests, renderedElements: rendered.n, text: rendered.text.slice(0, 300) }
  } finally {
    browser.kill()
    await browser.exited
    rmSync(profile, { recursive: true, force: true })
  }
}
