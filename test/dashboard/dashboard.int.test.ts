import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.js';
import type { metricStatus } from '../../src/cli/status.js';
import type { RecentTicket } from '../../src/outputs/dashboard/recent-tickets.js';
import { packageRoot } from '../../src/package-root.js';
import { startServe } from '../../src/server/serve.js';
import { runCli } from '../helpers/cli.js';

// The flags this machine's Chromium needs (see the env notes): no sandbox as root, and no
// background networking, which the closed network would refuse at every start.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Debian's Chromium (playwright-core downloads no browser); CHROMIUM_PATH points elsewhere. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(packageRoot(), 'test', 'artifacts');
/** A fixed clock: the demo, `status --json` and the server all see the same instant. */
const NOW = Date.parse('2026-11-30T09:00:00Z');
const TOKEN = 'dashboard-test-token-0123456789';

/** Opens the demo database as `serve` would, with or without `ZT_API_TOKEN`. */
async function openApp(env: Record<string, string>): Promise<App> {
  return createApp({
    env,
    cwd: dir,
    out: () => {},
    now: () => NOW,
    settingsPath: join(packageRoot(), 'zerotickets.config.example.yaml'),
  });
}

/** The real `serve` on a free loopback port; `url` ends with a slash, like the page's own. */
async function startServer(app: App): Promise<{ url: string; close(): Promise<void> }> {
  const running = await startServe(app, { host: '127.0.0.1', port: 0 });
  return { url: `${running.url}/`, close: () => running.close() };
}

/** Chart.js's own view of a canvas: dataset count, label count and the first dataset's data. */
async function chartOf(page: Page, canvasId: string) {
  return page.evaluate((id) => {
    // The test project has no DOM types; this runs in the page, where these globals exist.
    // biome-ignore lint/suspicious/noExplicitAny: browser globals, untyped here.
    const browser = globalThis as any;
    const canvas = browser.document.getElementById(id);
    const chart = browser.Chart.getChart(canvas);
    return {
      series: chart.data.datasets.length as number,
      labels: chart.data.labels as string[],
      data: chart.data.datasets.map((d: { data: unknown[] }) => d.data) as Array<Array<number | null>>,
      colors: chart.data.datasets.map((d: { backgroundColor: string }) => d.backgroundColor) as string[],
      yMin: chart.options.scales?.y?.min as number | undefined,
      yMax: chart.options.scales?.y?.max as number | undefined,
      rendered: canvas.width > 0 && canvas.height > 0,
    };
  }, canvasId);
}

let dir: string;

/** Moves the mouse onto a chart's data point and returns the tooltip's body lines. */
async function hover(page: Page, canvasId: string, index: number): Promise<string[]> {
  const at = await page.evaluate(
    ([id, i]) => {
      // biome-ignore lint/suspicious/noExplicitAny: browser globals, untyped here.
      const browser = globalThis as any;
      const canvas = browser.document.getElementById(id);
      const element = browser.Chart.getChart(canvas).getDatasetMeta(0).data[i];
      const box = canvas.getBoundingClientRect();
      return { x: box.left + element.x, y: box.top + element.y };
    },
    [canvasId, index] as const,
  );
  await page.mouse.move(at.x, at.y);
  return page.evaluate((id) => {
    // biome-ignore lint/suspicious/noExplicitAny: browser globals, untyped here.
    const browser = globalThis as any;
    const tooltip = browser.Chart.getChart(browser.document.getElementById(id)).tooltip;
    return tooltip.body.flatMap((b: { lines: string[] }) => b.lines);
  }, canvasId);
}

describe('dashboard in headless Chromium, on the demo data', () => {
  let env: Record<string, string>;
  let app: App;
  let browser: Browser;
  let status: Awaited<ReturnType<typeof metricStatus>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zt-dashboard-'));
    env = { DATABASE_URL: `file:${join(dir, 'demo.db')}`, LOG_LEVEL: 'error' };
    const demo = await runCli(['demo'], { env, cwd: dir, now: () => NOW });
    expect(demo.code, demo.stderr).toBe(0);
    const printed = await runCli(['status', '--json'], { env, cwd: dir, now: () => NOW });
    expect(printed.code, printed.stderr).toBe(0);
    status = JSON.parse(printed.stdout);
    app = await openApp(env);
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} not found: apt-get install chromium (as .ci/run does), or set CHROMIUM_PATH`,
      );
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the status headline, both charts, and redraws the trend by month', async () => {
    const server = await startServer(app);
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    try {
      const response = await page.goto(server.url);
      expect(response?.status()).toBe(200);
      await page.waitForSelector('body[data-ready="true"]');

      // The demo has closed windows, so the headline is a number, formatted like `status`.
      expect(status.zeroTicketPct).not.toBeNull();
      expect(await page.textContent('#headline-pct')).toBe(`${status.zeroTicketPct!.toFixed(1)}%`);
      expect(await page.textContent('h1')).toBe('Companies with zero support tickets');
      const served = (await (await fetch(`${server.url}api/metric`)).json()) as typeof status;
      expect(served.zeroTicketPct).toBe(status.zeroTicketPct);
      const headline = (await (await fetch(`${server.url}api/headline`)).json()) as {
        changePts: number | null;
      };
      expect(headline.changePts).not.toBeNull();
      expect(await page.textContent('#headline-change')).toMatch(
        new RegExp(
          `^[+−±]${Math.abs(headline.changePts!).toFixed(1).replace('.', '\\.')} pts vs the 28 days before$`,
        ),
      );
      const pending = await page.textContent('#headline-pending');
      expect(pending).toContain(`${status.pending.in_progress} in progress`);
      expect(pending).toContain(`${status.pending.in_buffer} in buffer`);
      expect(pending).toContain(`${status.pending.stalled} stalled`);

      // Trend: one series, one point per closed week, on a fixed 0–100 axis.
      const weekTrend = (await (await fetch(`${server.url}api/trend?period=week`)).json()) as {
        points: Array<{ zeroTicketPct: number | null }>;
      };
      expect(weekTrend.points.length).toBeGreaterThan(1);
      const trend = await chartOf(page, 'trend-chart');
      expect(trend).toMatchObject({ series: 1, yMin: 0, yMax: 100, rendered: true });
      expect(trend.labels).toHaveLength(weekTrend.points.length);
      expect(trend.data[0]).toEqual(weekTrend.points.map((p) => p.zeroTicketPct));

      // Hovering a point shows its percentage and its n.
      const last = weekTrend.points.findLastIndex((p) => p.zeroTicketPct !== null);
      const point = weekTrend.points[last] as { zeroTicketPct: number; closedWindows: number };
      expect(await hover(page, 'trend-chart', last)).toEqual([
        `${point.zeroTicketPct.toFixed(1)}% zero tickets (n = ${point.closedWindows})`,
      ]);
      await page.mouse.move(0, 0);

      // Bad days: one stacked bar series per top reason (+ other), one bar per day.
      const bad = (await (await fetch(`${server.url}api/bad-days?bucket=day`)).json()) as {
        buckets: string[];
        series: Array<{ tickets: number[] }>;
      };
      expect(bad.series.length).toBeGreaterThan(1);
      const bars = await chartOf(page, 'bad-days-chart');
      expect(bars.series).toBe(bad.series.length);
      expect(bars.labels).toHaveLength(28);
      expect(bars.data).toEqual(bad.series.map((s) => s.tickets));
      expect(bars.rendered).toBe(true);
      expect(new Set(bars.colors).size).toBe(bars.colors.length);
      expect(await page.locator('#reasons-table tbody tr').count()).toBeGreaterThan(1);
      const connections = await page.locator('#connections-table tbody tr').allTextContents();
      expect(connections).toHaveLength(status.connections.length);
      status.connections.forEach((c, n) => {
        expect(connections[n]).toContain(c.id);
      });
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard-week.png'), fullPage: true });
      // The headline and the trend alone: the picture the README shows (docs/dashboard.png).
      await page.screenshot({
        path: join(ARTIFACTS, 'dashboard-top.png'),
        clip: { x: 0, y: 0, width: 1200, height: 680 },
      });

      // A reason keeps its color across reloads.
      await page.reload();
      await page.waitForSelector('body[data-ready="true"]');
      expect((await chartOf(page, 'bad-days-chart')).colors).toEqual(bars.colors);

      // Toggling to months redraws the trend (and the cohorts) per month.
      await page.click('button[data-period="month"]');
      await page.waitForSelector('#trend-chart[data-period="month"]');
      await page.waitForSelector('body[data-ready="true"]');
      const monthTrend = await chartOf(page, 'trend-chart');
      expect(monthTrend.series).toBe(1);
      expect(monthTrend.labels.length).toBeLessThan(trend.labels.length);
      expect(monthTrend.labels).not.toEqual(trend.labels);
      expect(monthTrend.labels.every((l) => /^[A-Z][a-z]{2} \d{4}$/.test(l))).toBe(true);
      expect(await page.textContent('#cohort-period-name')).toBe('month');
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard-month.png'), fullPage: true });

      // Bad days by week: one bar per week, the same series as the API's.
      await page.click('button[data-bucket="week"]');
      await page.waitForSelector('#bad-days-chart[data-bucket="week"]');
      await page.waitForSelector('body[data-ready="true"]');
      const weekly = (await (await fetch(`${server.url}api/bad-days?bucket=week`)).json()) as {
        series: Array<{ tickets: number[] }>;
      };
      const weekBars = await chartOf(page, 'bad-days-chart');
      expect(weekBars.labels).toHaveLength(12);
      expect(weekBars.data).toEqual(weekly.series.map((s) => s.tickets));
      expect(errors).toEqual([]);
      expect(statSync(join(ARTIFACTS, 'dashboard-month.png')).size).toBeGreaterThan(10_000);
    } finally {
      await page.close();
      await server.close();
    }
  });

  it('lists recent tickets with why, filters them by a clicked reason, and resets', async () => {
    const server = await startServer(app);
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    type Listed = { tickets: Array<RecentTicket> };
    const api = async (query: string) =>
      (await (await fetch(`${server.url}api/tickets${query}`)).json()) as Listed;
    const rows = '#tickets-table tbody tr[data-ticket]';
    const shownRows = () =>
      page.$$eval(rows, (trs) =>
        trs.map((tr) => ({
          ticket: tr.getAttribute('data-ticket'),
          reason: tr.getAttribute('data-reason'),
          cells: [...tr.querySelectorAll('td')].map((td) => td.textContent),
          href: tr.querySelector('a')?.getAttribute('href') ?? null,
        })),
      );
    try {
      await page.goto(server.url);
      await page.waitForSelector('body[data-ready="true"]');

      // Every reason: the API's list, drawn row by row with the why in words.
      const all = await api('');
      expect(all.tickets.length).toBeGreaterThan(1);
      expect(all.tickets.length).toBeLessThanOrEqual(50);
      const shown = await shownRows();
      expect(shown.map((r) => r.ticket)).toEqual(all.tickets.map((t) => `${t.source}:${t.ticketId}`));
      shown.forEach((r, n) => {
        const t = all.tickets[n]!;
        expect(r.cells).toEqual([
          t.createdAt.slice(0, 19).replace('T', ' '),
          t.customer,
          t.subject || `#${t.ticketId}`,
          t.reasonTitle,
          t.why,
        ]);
        expect(r.href).toBe(t.url);
      });
      expect(await page.textContent('#tickets-filter-name')).toBe('all reasons');
      expect(await page.isVisible('#tickets-reset')).toBe(false);

      // Clicking a reason's row lists only that reason's tickets.
      const counts = new Map<string, number>();
      for (const t of all.tickets) counts.set(t.reasonId, (counts.get(t.reasonId) ?? 0) + 1);
      const [picked] = [...counts].sort((a, b) => a[1] - b[1])[0]!;
      expect(counts.get(picked)).toBeLessThan(all.tickets.length);
      const only = await api(`?reason=${picked}`);
      await page.click(`#reasons-table tbody tr[data-reason="${picked}"]`);
      await page.waitForSelector(`#tickets-table[data-reason="${picked}"]`);
      await page.waitForSelector('body[data-ready="true"]');
      const filtered = await shownRows();
      expect(filtered.length).toBe(only.tickets.length);
      expect(filtered.every((r) => r.reason === picked)).toBe(true);
      expect(filtered.map((r) => r.ticket)).toEqual(only.tickets.map((t) => `${t.source}:${t.ticketId}`));
      expect(await page.getAttribute(`#reasons-table tr[data-reason="${picked}"]`, 'aria-selected')).toBe(
        'true',
      );
      expect(await page.textContent('#tickets-filter-name')).toBe(only.tickets[0]!.reasonTitle);
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard-tickets.png'), fullPage: true });

      // "Show all reasons" brings the full list back.
      await page.click('#tickets-reset');
      await page.waitForSelector('#tickets-table[data-reason=""]');
      await page.waitForSelector('body[data-ready="true"]');
      expect((await shownRows()).map((r) => r.ticket)).toEqual(shown.map((r) => r.ticket));
      expect(await page.isVisible('#tickets-reset')).toBe(false);
      expect(await page.getAttribute(`#reasons-table tr[data-reason="${picked}"]`, 'aria-selected')).toBe(
        'false',
      );

      // A keyboard user picks a reason with Enter.
      await page.focus(`#reasons-table tbody tr[data-reason="${picked}"]`);
      await page.keyboard.press('Enter');
      await page.waitForSelector(`#tickets-table[data-reason="${picked}"]`);
      expect((await shownRows()).every((r) => r.reason === picked)).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      await server.close();
    }
  });

  it('shows an empty database plainly, without script errors', async () => {
    const empty = await openApp({ DATABASE_URL: `file:${join(dir, 'empty.db')}`, LOG_LEVEL: 'error' });
    const server = await startServer(empty);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    try {
      await page.goto(server.url);
      await page.waitForSelector('body[data-ready="true"]');
      expect(await page.textContent('#headline-pct')).toBe('—');
      expect(await page.isVisible('#trend-empty')).toBe(true);
      expect(await page.isVisible('#bad-days-empty')).toBe(true);
      expect((await chartOf(page, 'trend-chart')).labels).toEqual([]);
      expect(await page.textContent('#connections-table tbody')).toContain('No helpdesk connected');
      expect(await page.textContent('#tickets-table tbody')).toBe('No counting ticket yet.');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      await server.close();
      await empty.close();
    }
  });

  it('asks a browser for the token when ZT_API_TOKEN is set, then sends it on every fetch', async () => {
    const guarded = await openApp({ ...env, ZT_API_TOKEN: TOKEN });
    const server = await startServer(guarded);
    const page = await browser.newPage();
    try {
      const first = await page.goto(server.url);
      expect(first?.status()).toBe(401);
      await page.waitForSelector('#token-prompt:not([hidden])');
      expect(await page.isVisible('#dashboard')).toBe(false);

      await page.fill('#token-input', 'not-the-token-at-all');
      await page.click('#token-prompt button[type="submit"]');
      await page.waitForSelector('#token-error:not([hidden])');

      await page.fill('#token-input', TOKEN);
      await page.click('#token-prompt button[type="submit"]');
      await page.waitForSelector('body[data-ready="true"]');
      expect(await page.textContent('#headline-pct')).toBe(`${status.zeroTicketPct!.toFixed(1)}%`);
      const stored = await page.evaluate(() => {
        const browser = globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } };
        return browser.sessionStorage.getItem('zerotickets.apiToken');
      });
      expect(stored).toBe(TOKEN);
      // The API stays closed to a client without the token.
      expect((await fetch(`${server.url}api/headline`)).status).toBe(401);
    } finally {
      await page.close();
      await server.close();
      await guarded.close();
    }
  });
});
