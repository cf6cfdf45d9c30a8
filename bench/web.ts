// The first screens' weight and speed (issue 13): the login screen and a signed-in worker's status card, in
// Debian's Chromium, each round in a fresh browser context (nothing cached). What the browser received for
// JavaScript and CSS (bytes on the wire, as compressed by the server, and decoded), the number of requests,
// and the time from navigation to the screen's first useful element, unthrottled and on a throttled phone
// network ("fast 3G": 1.6 Mbit/s down, 150 ms round trip).
//
// With KORUS_BENCH_WEB_ANCHOR=<directory of an earlier `dist/web`>, that build is served by a second server
// and measured in the same rounds, interleaved, and each figure is reported as a ratio to it.
//
//   npm run build && KORUS_BENCH_WEB_ANCHOR=/tmp/web-before npm run bench:web
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { machine, roundRatios, summary, writeResult } from './common.js';
import { startKorus, stop } from './servers.js';

const ROUNDS = Number(process.env.KORUS_BENCH_ROUNDS ?? 7);
const anchorDir = process.env.KORUS_BENCH_WEB_ANCHOR;
const BUDGET_KB = 150;
const worker = { email: 'worker@hanbit-energy.example', password: 'KorusDemo!2026' };
const fast3g = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
};

interface Sample {
  jsWireKb: number;
  jsDecodedKb: number;
  cssWireKb: number;
  requests: number;
  ms: number;
}

const screens = {
  login: { path: '/', ready: '#email', signedIn: false },
  'worker-card': { path: '/card', ready: '.status-card, .card-none, h1', signedIn: true },
} as const;

async function measure(
  context: BrowserContext,
  base: string,
  screen: keyof typeof screens,
  throttled: boolean,
): Promise<Sample> {
  const page: Page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (throttled) await cdp.send('Network.emulateNetworkConditions', fast3g);
  const types = new Map<string, string>();
  const totals = { jsWire: 0, jsDecoded: 0, cssWire: 0, requests: 0 };
  cdp.on('Network.responseReceived', (e) => types.set(e.requestId, e.type));
  cdp.on('Network.dataReceived', (e) => {
    if (types.get(e.requestId) === 'Script') totals.jsDecoded += e.dataLength;
  });
  cdp.on('Network.loadingFinished', (e) => {
    totals.requests++;
    const type = types.get(e.requestId);
    if (type === 'Script') totals.jsWire += e.encodedDataLength;
    if (type === 'Stylesheet') totals.cssWire += e.encodedDataLength;
  });
  const { path, ready } = screens[screen];
  const t0 = Date.now();
  await page.goto(base + path, { waitUntil: 'commit' });
  await page.locator(ready).first().waitFor({ state: 'visible', timeout: 60_000 });
  const ms = Date.now() - t0;
  await page.waitForLoadState('networkidle');
  await page.close();
  return {
    jsWireKb: totals.jsWire / 1024,
    jsDecodedKb: totals.jsDecoded / 1024,
    cssWireKb: totals.cssWire / 1024,
    requests: totals.requests,
    ms,
  };
}

async function signedInContext(browser: Awaited<ReturnType<typeof chromium.launch>>, base: string) {
  const context = await browser.newContext();
  const res = await context.request.post(`${base}/api/auth/login`, { data: worker });
  if (res.status() !== 200) throw new Error(`worker login failed: ${res.status()} ${await res.text()}`);
  return context;
}

async function main() {
  const dataDirs: string[] = [];
  const start = async (port: number, webRoot?: string) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'korus-bench-web-'));
    dataDirs.push(dataDir);
    return startKorus({
      dataDir,
      port,
      args: ['--demo'],
      env: webRoot ? { KORUS_WEB_ROOT: webRoot } : {},
    });
  };
  process.stderr.write('starting the server(s) with the demo data…\n');
  const builds = [{ name: 'current', server: await start(18_431) }];
  if (anchorDir) builds.push({ name: 'anchor', server: await start(18_432, anchorDir) });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  const samples: Record<string, Sample[]> = {};
  try {
    for (let round = 0; round < ROUNDS; round++) {
      process.stderr.write(`round ${round + 1}/${ROUNDS}\n`);
      // Interleaved: every build, screen and network in the same round, the order alternating by round.
      const order = round % 2 ? [...builds].reverse() : builds;
      for (const throttled of [false, true])
        for (const screen of Object.keys(screens) as (keyof typeof screens)[])
          for (const build of order) {
            const base = `http://127.0.0.1:${build.server.port}`;
            const context = screens[screen].signedIn
              ? await signedInContext(browser, base)
              : await browser.newContext();
            const key = `${build.name}|${screen}|${throttled ? 'fast3g' : 'unthrottled'}`;
            (samples[key] ??= []).push(await measure(context, base, screen, throttled));
            await context.close();
          }
    }
  } finally {
    await browser.close();
    for (const b of builds) await stop(b.server.child);
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  }

  const figures: Record<string, unknown> = {};
  for (const [key, list] of Object.entries(samples)) {
    const [build, screen, network] = key.split('|') as [string, string, string];
    const entry = {
      jsWireKb: summary(list.map((s) => s.jsWireKb)).median,
      jsDecodedKb: summary(list.map((s) => s.jsDecodedKb)).median,
      cssWireKb: summary(list.map((s) => s.cssWireKb)).median,
      requests: summary(list.map((s) => s.requests)).median,
      firstScreenMs: summary(list.map((s) => s.ms)),
    };
    const anchor = samples[`anchor|${screen}|${network}`];
    const ratios =
      build === 'current' && anchor
        ? {
            jsWire: roundRatios(
              list.map((s) => s.jsWireKb),
              anchor.map((s) => s.jsWireKb),
            ).median,
            firstScreenMs: roundRatios(
              list.map((s) => s.ms),
              anchor.map((s) => s.ms),
            ),
          }
        : undefined;
    ((figures[build] ??= {}) as Record<string, unknown>)[`${screen} (${network})`] = {
      ...entry,
      ...(ratios ? { ratioToAnchor: ratios } : {}),
    };
  }
  const current = figures.current as Record<string, { jsWireKb: number }>;
  const overBudget = Object.entries(current).filter(([, v]) => v.jsWireKb > BUDGET_KB);
  writeResult('web', {
    machine: machine(),
    rounds: ROUNDS,
    budget: { firstScreenJsKb: BUDGET_KB, met: overBudget.length === 0 },
    anchor: anchorDir ?? null,
    figures,
  });
  if (overBudget.length) {
    process.stderr.write(`over the ${BUDGET_KB} KB budget: ${overBudget.map(([k]) => k).join(', ')}\n`);
    process.exitCode = 1;
  }
}

await main();
