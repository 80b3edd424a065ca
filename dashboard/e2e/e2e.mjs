// End-to-end browser test of the fleetlog dashboard against a running server in demo mode.
//
//   FLEETLOG_URL=http://127.0.0.1:8080 E2E_OUT=target/e2e node e2e/e2e.mjs
//
// Needs only what docs/api.md promises (five demo vehicles, /live, the REST API, the demo control
// API). Drives Debian's chromium (CHROMIUM, default /usr/bin/chromium) through playwright-core:
// five cards appear, showing their signals (speed, SoC, power, gear); stop then play the demo; cut
// one vehicle's link ("dead zone now") and see its card go offline, then draining, then online; see
// the gap in its chart fill at the true capture times; see the state bands (Gear) on the time axis;
// pick one more signal to chart through the picker's search box and see it fetched (`?signals=`)
// and drawn; take screenshots at desktop and phone width into E2E_OUT; fail on any console error
// or any request leaving the server's origin. Exit code 0 = pass, 1 = fail.
//
// Optional: E2E_VEHICLES (default 5), E2E_DEADZONE_MS (how long the link stays cut, default 8000),
// E2E_TIMEOUT_MS (per wait, default 45000), E2E_REQUIRE_DRAINING=0 (accept a drain too short to
// be shown; for diagnosis only), E2E_HEADFUL=1, E2E_BAND (the state signal whose band must show,
// default Gear), E2E_PICK (the signal to add through the picker, default InsideTemp).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BASE = (process.env.FLEETLOG_URL ?? '').replace(/\/+$/, '');
const OUT = path.resolve(process.env.E2E_OUT ?? 'target/e2e');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const VEHICLES = Number(process.env.E2E_VEHICLES ?? 5);
const DEADZONE_MS = Number(process.env.E2E_DEADZONE_MS ?? 8000);
const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS ?? 45000);
// 0: accept offline → online when the drain was too short to be shown (diagnostics only)
const REQUIRE_DRAINING = process.env.E2E_REQUIRE_DRAINING !== '0';
const BAND = process.env.E2E_BAND ?? 'Gear';
const PICK = process.env.E2E_PICK ?? 'InsideTemp';

if (!BASE) {
  console.error('e2e: set FLEETLOG_URL to the base URL of a running fleetlog demo server');
  process.exit(1);
}
fs.mkdirSync(OUT, { recursive: true });

const started = Date.now();
const steps = [];
const problems = [];
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
function ok(msg) {
  steps.push({ ok: true, step: msg, at: elapsed() });
  console.log(`  ✓ ${msg} (${elapsed()})`);
}
class Failure extends Error {}
function fail(msg) {
  throw new Failure(msg);
}

async function waitFor(what, fn, timeout = TIMEOUT, every = 100) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) fail(`timed out after ${timeout} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetlog-e2e-'));
let context;
let exitCode = 0;
console.log(`e2e: ${BASE} → screenshots in ${OUT}`);
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: process.env.E2E_HEADFUL !== '1',
    viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const origin = new URL(BASE).origin;
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('data:') && !u.startsWith(origin) && !u.startsWith(origin.replace(/^http/, 'ws'))) problems.push(`request leaves the server: ${u}`);
  });
  page.setDefaultTimeout(TIMEOUT);

  // 1. five vehicle cards
  await page.goto(`${BASE}/`);
  const cards = page.locator('[data-testid^="vehicle-card-"]');
  await waitFor(`${VEHICLES} vehicle cards`, async () => (await cards.count()) >= VEHICLES);
  await waitFor('the live feed to connect', async () => (await page.getByTestId('connection-status').getAttribute('data-state')) === 'open');
  ok(`${await cards.count()} vehicle cards, live feed connected`);
  const firstVin = (await cards.first().getAttribute('data-testid')).slice('vehicle-card-'.length);
  const cardValue = (name) => page.getByTestId(`card-signal-${firstVin}-${name}`).getAttribute('data-value');
  await waitFor('the first card to show speed, SoC, power and gear values', async () => {
    for (const n of ['VehicleSpeed', 'Soc', 'Power', BAND]) if (!(await cardValue(n))) return false;
    return true;
  });
  ok(`the first card shows VehicleSpeed ${await cardValue('VehicleSpeed')}, Soc ${await cardValue('Soc')}, Power ${await cardValue('Power')}, ${BAND} ${await cardValue(BAND)}`);

  // 2. stop, then play
  const demoState = page.getByTestId('demo-state');
  await waitFor('the demo controls (GET /api/demo)', async () => (await page.getByTestId('demo-stop').count()) > 0 && (await demoState.getAttribute('data-running')) !== null);
  if ((await demoState.getAttribute('data-running')) !== 'true') {
    await page.getByTestId('demo-play').click();
    await waitFor('the demo to run before the test', async () => (await demoState.getAttribute('data-running')) === 'true');
  }
  await page.getByTestId('demo-stop').click();
  await waitFor('the demo state "stopped"', async () => (await demoState.getAttribute('data-running')) === 'false' && (await demoState.textContent()) === 'stopped');
  ok('stop: the demo fleet is stopped');
  await page.getByTestId('demo-play').click();
  await waitFor('the demo state "running"', async () => (await demoState.getAttribute('data-running')) === 'true' && (await demoState.textContent()) === 'running');
  ok('play: the demo fleet runs again');

  // 3. open the first vehicle's view
  const testid = await cards.first().getAttribute('data-testid');
  const vin = testid.slice('vehicle-card-'.length);
  const card = page.getByTestId(`vehicle-card-${vin}`);
  const badge = page.getByTestId(`link-state-${vin}`);
  await waitFor(`${vin} to be online before the dead zone`, async () => (await card.getAttribute('data-link')) === 'online' && (await badge.textContent()).trim() === 'online');
  await card.click();
  const chart = page.getByTestId('chart-VehicleSpeed');
  await waitFor(`the vehicle view of ${vin} with data`, async () => (await page.getByTestId(`vehicle-view-${vin}`).count()) > 0 && Number(await chart.getAttribute('data-points')) > 0);
  ok(`vehicle view of ${vin} shows ${await chart.getAttribute('data-points')} chart points`);

  // record every link state the card shows from now on (a drain can be short)
  await page.evaluate((v) => {
    const seen = [];
    window.__e2eLinks = seen;
    setInterval(() => {
      const el = document.querySelector(`[data-testid="link-state-${v}"]`);
      const s = el?.textContent?.trim();
      if (s && seen[seen.length - 1] !== s) seen.push(s);
    }, 25);
  }, vin);
  const points = () => page.evaluate(() => (window.__fleetlogChart ? window.__fleetlogChart.points() : []));
  const lastCapture = async () => Number(await card.getAttribute('data-last-capture-ms'));

  // 4./5. dead zone on → offline; off → draining → online. A drain shorter than the server's
  // state-message period (2 Hz) can pass unseen: then the cycle is repeated with a dead zone twice
  // as long (a bigger backlog drains longer), up to 3 times.
  const toggle = page.getByTestId(`deadzone-${vin}`);
  let cycle;
  for (let attempt = 0, ms = DEADZONE_MS; attempt < 3; attempt++, ms *= 2) {
    await page.evaluate(() => window.__e2eLinks.splice(0));
    await toggle.click({ force: true });
    await waitFor(`${vin} to go offline`, async () => (await card.getAttribute('data-link')) === 'offline');
    await waitFor('the toggle to show the dead zone', async () => toggle.isChecked());
    const cutAt = await lastCapture();
    ok(`dead zone on: ${vin} is offline (last capture ${new Date(cutAt).toISOString()}), waiting ${ms} ms`);
    await page.waitForTimeout(ms);
    const beforeDrain = (await points()).filter(([t]) => t > cutAt).length;
    await page.screenshot({ path: path.join(OUT, 'desktop-dead-zone.png'), fullPage: true });
    await toggle.click({ force: true });
    await waitFor(`${vin} to come back online`, async () => (await card.getAttribute('data-link')) === 'online' && !(await toggle.isChecked()), TIMEOUT + ms * 4);
    const backAt = await lastCapture();
    const seen = await page.evaluate(() => window.__e2eLinks.slice());
    const iOff = seen.indexOf('offline');
    const iDrain = seen.indexOf('draining', iOff);
    const iOn = seen.indexOf('online', iDrain);
    const sawDrain = iOff >= 0 && iDrain >= 0 && iOn >= 0;
    cycle = { cutAt, backAt, beforeDrain, seen, ok: sawDrain || (!REQUIRE_DRAINING && iOff >= 0 && seen.indexOf('online', iOff) >= 0) };
    if (cycle.ok && !sawDrain) console.log(`  ! no draining state shown (${seen.join(' → ')}), accepted: E2E_REQUIRE_DRAINING=0`);
    if (cycle.ok) break;
    console.log(`  … saw ${seen.join(' → ')} (no draining state shown); again with a longer dead zone`);
  }
  if (!cycle.ok) fail(`expected the card to show offline → draining → online, saw ${cycle.seen.join(' → ')}`);
  const { cutAt, backAt, beforeDrain } = cycle;
  ok(`dead zone off: ${vin} went ${cycle.seen.slice(cycle.seen.indexOf('offline')).join(' → ')}`);

  // 6. the gap fills at its true capture times
  const filled = await waitFor('the dead-zone gap in the chart to fill', async () => {
    const pts = await points();
    const inside = pts.filter(([t]) => t > cutAt && t < backAt);
    if (inside.length <= beforeDrain) return false;
    const range = pts.filter(([t]) => t >= cutAt && t <= backAt).map(([t]) => t);
    let maxGap = 0;
    for (let i = 1; i < range.length; i++) maxGap = Math.max(maxGap, range[i] - range[i - 1]);
    const backfilled = Number(await chart.getAttribute('data-backfilled'));
    return maxGap <= 1000 && backfilled > 0 ? { inside: inside.length, maxGap, backfilled } : false;
  });
  // let the last refetches land, then report the settled count
  let settled = filled.inside;
  for (let i = 0; i < 10; i++) {
    await page.waitForTimeout(500);
    const n = (await points()).filter(([t]) => t > cutAt && t < backAt).length;
    if (n === settled) break;
    settled = n;
  }
  filled.inside = settled;
  ok(`gap filled: ${beforeDrain} → ${filled.inside} points between ${new Date(cutAt).toISOString()} and ${new Date(backAt).toISOString()}, largest step ${filled.maxGap} ms, ${filled.backfilled} chart points highlighted as backfilled`);

  // 7. state bands on the charts' time axis, and a signal picked through the search box
  const band = page.getByTestId(`state-band-${BAND}`);
  await waitFor(`the ${BAND} state band with values`, async () => (await band.count()) > 0 && Number(await band.getAttribute('data-segments')) > 0);
  ok(`state band ${BAND}: ${await band.getAttribute('data-segments')} segment(s), values ${await band.getAttribute('data-values')}`);
  const sampleUrls = [];
  const onRequest = (r) => {
    if (r.url().includes(`/api/vehicles/${vin}/samples`)) sampleUrls.push(decodeURIComponent(r.url()));
  };
  page.on('request', onRequest);
  await page.getByTestId('chart-signals-toggle').click();
  await page.getByTestId('chart-signals-search').fill(PICK.slice(0, 6).toLowerCase());
  const option = page.getByTestId(`chart-signals-option-${PICK}`);
  await waitFor(`${PICK} among the picker's search results`, async () => (await option.count()) > 0);
  if (!(await option.isChecked())) await option.check();
  await page.keyboard.press('Escape');
  const picked = page.getByTestId(`chart-${PICK}`);
  await waitFor(`a chart of ${PICK} with data`, async () => (await picked.count()) > 0 && Number(await picked.getAttribute('data-points')) > 0);
  page.off('request', onRequest);
  const fetched = sampleUrls.find((u) => new RegExp(`[?&]signals=[^&]*\\b${PICK}\\b`).test(u));
  if (!fetched) fail(`no samples request selected ${PICK} (requests: ${sampleUrls.slice(0, 3).join(' ')})`);
  ok(`picked ${PICK}: fetched with ?signals= (${fetched.replace(/^.*signals=/, '').split('&')[0]}), chart has ${await picked.getAttribute('data-points')} points`);
  // restore the defaults so a second run starts the same
  await page.getByTestId('chart-signals-toggle').click();
  await page.getByTestId('chart-signals-reset').click();
  await page.keyboard.press('Escape');

  // 8. terminal: Enter disconnects and reconnects the view
  const input = page.getByTestId('terminal-input');
  await input.fill('');
  await input.press('Enter');
  await waitFor('the terminal to disconnect', async () => (await page.getByTestId('terminal-disconnected').count()) > 0);
  await input.press('Enter');
  await waitFor('the terminal to reconnect', async () => (await page.getByTestId('terminal-status').textContent()) === 'streaming');
  ok('terminal: Enter disconnects, Enter reconnects');

  // 9. screenshots
  await page.waitForTimeout(600);
  await page.screenshot({ path: path.join(OUT, 'desktop.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(800);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 2) fail(`the page is ${overflow} px wider than a 390 px phone screen`);
  await page.screenshot({ path: path.join(OUT, 'phone.png'), fullPage: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(200);
  await page.screenshot({ path: path.join(OUT, 'phone-top.png') });
  ok('screenshots at 1280 px and 390 px, no horizontal overflow on the phone');

  if (problems.length) fail(`${problems.length} browser problem(s):\n    ${problems.join('\n    ')}`);
  ok('no console errors, no request outside the server');
} catch (e) {
  exitCode = 1;
  const msg = e instanceof Failure ? e.message : e?.stack ?? String(e);
  steps.push({ ok: false, step: msg, at: elapsed() });
  console.error(`  ✗ ${msg}`);
  if (problems.length && !(e instanceof Failure && msg.includes('browser problem'))) console.error(`  browser problems so far:\n    ${problems.join('\n    ')}`);
  try {
    const page = context?.pages()[0];
    if (page) await page.screenshot({ path: path.join(OUT, 'failure.png'), fullPage: true });
  } catch {
    // the browser may be gone: the report still says what failed
  }
} finally {
  await context?.close().catch(() => {});
  fs.rmSync(userDataDir, { recursive: true, force: true });
  fs.writeFileSync(path.join(OUT, 'e2e-report.json'), JSON.stringify({ base: BASE, passed: exitCode === 0, seconds: (Date.now() - started) / 1000, steps, problems }, null, 2));
}
console.log(exitCode === 0 ? `e2e: PASS in ${elapsed()}` : `e2e: FAIL after ${elapsed()}`);
process.exit(exitCode);
