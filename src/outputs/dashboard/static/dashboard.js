// The dashboard page. A classic script (no modules, no bundler): the loader in index.html
// fetches it with the bearer token and runs it after Chart.js. It only draws: every number
// comes from the JSON endpoints, already rounded and ranked by the server.
(() => {
  const $ = (id) => document.getElementById(id);
  const charts = { trend: null, badDays: null };
  const state = { period: 'week', bucket: 'day' };
  let getJson = null;
  /** The "Recent tickets" card (recent-tickets.js), made in `start`. */
  let tickets = null;

  const pct = (value) => (value === null || value === undefined ? '—' : `${value.toFixed(1)}%`);
  const int = (value) => new Intl.NumberFormat('en-US').format(value);
  const monthName = (iso) =>
    new Date(`${iso}T00:00:00Z`).toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const periodLabel = (kind, iso) => {
    const d = new Date(`${iso}T00:00:00Z`);
    if (kind === 'month') return `${monthName(iso)} ${d.getUTCFullYear()}`;
    if (kind === 'week') return `wk of ${monthName(iso)} ${d.getUTCDate()}`;
    return `${monthName(iso)} ${d.getUTCDate()}`;
  };
  const lag = (seconds) => {
    if (seconds === null) return 'never synced';
    if (seconds < 90) return `${seconds} s`;
    if (seconds < 5400) return `${(seconds / 60).toFixed(1)} min`;
    if (seconds < 172800) return `${(seconds / 3600).toFixed(1)} h`;
    return `${(seconds / 86400).toFixed(1)} d`;
  };

  /**
   * Replaces a table body with rows of cells; a cell is text or {text, className, swatch, href,
   * title}. `decorate(tr, index)`, when given, adds attributes to each data row.
   */
  const fillTable = (tableId, rows, emptyText, decorate) => {
    const body = $(tableId).querySelector('tbody');
    body.replaceChildren();
    if (rows.length === 0) {
      const tr = document.createElement('tr');
      const td = document.createElement('td');
      td.colSpan = $(tableId).querySelectorAll('thead th').length;
      td.className = 'muted';
      td.textContent = emptyText;
      tr.append(td);
      body.append(tr);
      return;
    }
    rows.forEach((cells, index) => {
      const tr = document.createElement('tr');
      for (const cell of cells) {
        const td = document.createElement('td');
        const spec = typeof cell === 'object' && cell !== null ? cell : { text: String(cell) };
        // Only web links: a helpdesk URL is built from connection settings, never run as script.
        if (spec.href && /^https?:\/\//i.test(spec.href)) {
          const link = document.createElement('a');
          link.href = spec.href;
          link.target = '_blank';
          link.rel = 'noopener noreferrer';
          link.textContent = spec.text;
          td.append(link);
        } else {
          td.textContent = spec.text;
        }
        if (spec.className) td.className = spec.className;
        if (spec.title) td.title = spec.title;
        if (spec.swatch) {
          const dot = document.createElement('span');
          dot.className = 'swatch';
          dot.style.background = spec.swatch;
          td.prepend(dot);
        }
        tr.append(td);
      }
      if (decorate) decorate(tr, index);
      body.append(tr);
    });
  };
  const num = (value) => ({ text: typeof value === 'number' ? int(value) : value, className: 'num' });

  function renderHeadline(h) {
    $('as-of').textContent = `As of ${h.asOf.slice(0, 16).replace('T', ' ')} UTC`;
    $('headline-days').textContent = String(h.windowDays);
    $('headline-pct').textContent = pct(h.zeroTicketPct);
    const change = $('headline-change');
    if (h.changePts === null) {
      change.textContent = 'no change to compare';
      change.className = 'change muted';
    } else {
      const sign = h.changePts > 0 ? '+' : h.changePts < 0 ? '−' : '±';
      change.textContent = `${sign}${Math.abs(h.changePts).toFixed(1)} pts vs the ${h.windowDays} days before`;
      change.className = `change ${h.changePts > 0 ? 'up' : h.changePts < 0 ? 'down' : ''}`;
    }
    $('headline-n').textContent =
      h.closedWindows === 0
        ? `No onboarding window closed in the last ${h.windowDays} days.`
        : `n = ${int(h.closedWindows)} windows closed: ${int(h.zeroTickets)} with zero tickets, ${int(h.hadTickets)} with tickets`;
    const pending = $('headline-pending');
    pending.replaceChildren();
    for (const [key, label] of [
      ['in_progress', 'in progress'],
      ['in_buffer', 'in buffer'],
      ['stalled', 'stalled'],
    ]) {
      const li = document.createElement('li');
      li.dataset.status = key;
      li.textContent = `${int(h.pending[key])} ${label}`;
      pending.append(li);
    }
  }

  /** Records what a chart shows on its canvas, for people inspecting the page and for tests. */
  const describe = (canvas, chart, extra) => {
    canvas.dataset.series = String(chart.data.datasets.length);
    canvas.dataset.points = String(chart.data.labels.length);
    for (const [key, value] of Object.entries(extra)) canvas.dataset[key] = value;
  };

  function renderTrend(trend) {
    const canvas = $('trend-chart');
    const points = trend.points;
    const data = {
      labels: points.map((p) => periodLabel(trend.periodKind, p.periodStart)),
      datasets: [
        {
          label: 'Zero-ticket %',
          data: points.map((p) => p.zeroTicketPct),
          borderColor: 'hsl(152, 55%, 36%)',
          backgroundColor: 'hsl(152, 55%, 36%)',
          pointRadius: 3,
          spanGaps: false,
          tension: 0,
        },
      ],
    };
    if (charts.trend) charts.trend.destroy();
    charts.trend = new window.Chart(canvas, {
      type: 'line',
      data,
      options: {
        animation: false,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          y: { min: 0, max: 100, ticks: { stepSize: 20, callback: (v) => `${v}%` } },
          x: { ticks: { maxRotation: 0, autoSkip: true } },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: (ctx) => {
                const p = points[ctx.dataIndex];
                return `${pct(p.zeroTicketPct)} zero tickets (n = ${int(p.closedWindows)})`;
              },
            },
          },
        },
      },
    });
    $('trend-period-name').textContent = trend.periodKind;
    $('trend-empty').hidden = points.length > 0;
    describe(canvas, charts.trend, { period: trend.periodKind });
  }

  function renderCohorts(result) {
    $('cohort-period-name').textContent = result.periodKind;
    fillTable(
      'cohorts-table',
      result.cohorts.map((c) => [
        periodLabel(result.periodKind, c.periodStart),
        num(c.customers),
        num(c.decided),
        num(pct(c.zeroTicketPct)),
        num(c.pending),
        num(c.stalled),
      ]),
      'No customer has started onboarding yet.',
    );
  }

  function renderBadDays(result) {
    const canvas = $('bad-days-chart');
    const data = {
      labels: result.buckets.map((b) => periodLabel(result.bucket === 'week' ? 'week' : 'day', b)),
      datasets: result.series.map((s) => ({
        label: s.title,
        data: s.tickets,
        backgroundColor: s.color,
        stack: 'tickets',
      })),
    };
    if (charts.badDays) charts.badDays.destroy();
    charts.badDays = new window.Chart(canvas, {
      type: 'bar',
      data,
      options: {
        animation: false,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { stacked: true, ticks: { maxRotation: 0, autoSkip: true } },
          y: {
            stacked: true,
            beginAtZero: true,
            ticks: { precision: 0 },
            title: { display: true, text: 'tickets' },
          },
        },
        plugins: {
          legend: { position: 'bottom' },
          tooltip: {
            filter: (item) => item.parsed.y > 0,
            footer: (items) => `Total: ${int(result.totals[items[0]?.dataIndex ?? 0] ?? 0)}`,
          },
        },
      },
    });
    $('bad-days-bucket-name').textContent = result.bucket;
    $('bad-days-empty').hidden = result.series.length > 0;
    describe(canvas, charts.badDays, {
      bucket: result.bucket,
      reasons: result.series.map((s) => s.reasonId).join(' '),
    });
  }

  function renderReasons(result) {
    fillTable(
      'reasons-table',
      result.reasons.map((r) => [
        { text: r.countsTowardMetric ? r.title : `${r.title} (not counted)`, swatch: r.color },
        r.owner ? `@${r.owner}` : '—',
        num(r.thisWeek),
        num(r.lastWeek),
        num(`${int(r.customers)} (${pct(r.customerSharePct)})`),
        r.topPhaseTickets === 0 ? '—' : (r.topPhase ?? 'before the first milestone'),
      ]),
      'No reasons configured.',
      (tr, index) => tickets.pickerRow(tr, result.reasons[index].reasonId),
    );
  }

  function renderQuality(q) {
    const list = $('quality-counts');
    list.replaceChildren();
    for (const [value, label] of [
      [q.unlinkedTickets, 'unlinked tickets (no customer matched)'],
      [q.unclassifiedTickets, 'unclassified tickets'],
      [q.quarantinedPayloads, 'quarantined payloads'],
    ]) {
      const li = document.createElement('li');
      const strong = document.createElement('strong');
      strong.textContent = int(value);
      li.append(strong, ` ${label}`);
      if (value > 0) li.className = 'warn';
      list.append(li);
    }
    fillTable(
      'connections-table',
      q.connections.map((c) => [
        c.id,
        c.kind,
        c.lastSyncAt ? c.lastSyncAt.slice(0, 19).replace('T', ' ') : 'never',
        num(lag(c.lagSeconds)),
      ]),
      'No helpdesk connected (zerotickets connect …).',
    );
  }

  // `data-ready` on <body> is true once every load started so far has drawn.
  let loading = 0;
  const markBusy = (busy) => {
    loading += busy ? 1 : -1;
    document.body.dataset.ready = loading === 0 ? 'true' : 'false';
  };

  async function loadPeriod() {
    const period = state.period;
    const [trend, cohorts] = await Promise.all([
      getJson(`api/trend?period=${period}`),
      getJson(`api/cohorts?period=${period}`),
    ]);
    if (period !== state.period) return; // a later click won; its own load draws
    renderTrend(trend);
    renderCohorts(cohorts);
  }

  async function loadBadDays() {
    const bucket = state.bucket;
    const result = await getJson(`api/bad-days?bucket=${bucket}`);
    if (bucket === state.bucket) renderBadDays(result);
  }

  const press = (attribute, value) => {
    for (const button of document.querySelectorAll(`[data-${attribute}]`)) {
      button.setAttribute('aria-pressed', String(button.dataset[attribute] === value));
    }
  };

  const guarded = (work) => {
    markBusy(true);
    work()
      .then(() => markBusy(false))
      .catch((error) => {
        $('shell-failure').hidden = false;
        $('shell-failure').textContent = `The dashboard could not load: ${error.message}`;
      });
  };

  async function start(options) {
    getJson = options.getJson;
    $('dashboard').hidden = false;
    for (const button of document.querySelectorAll('[data-period]')) {
      button.addEventListener('click', () => {
        state.period = button.dataset.period;
        press('period', state.period);
        guarded(loadPeriod);
      });
    }
    for (const button of document.querySelectorAll('[data-bucket]')) {
      button.addEventListener('click', () => {
        state.bucket = button.dataset.bucket;
        press('bucket', state.bucket);
        guarded(loadBadDays);
      });
    }
    tickets = window.ztRecentTickets({ $, fillTable, getJson, guarded });
    guarded(async () => {
      const [headline, reasons, quality] = await Promise.all([
        getJson('api/headline'),
        getJson('api/reasons'),
        getJson('api/quality'),
        loadPeriod(),
      ]);
      await loadBadDays();
      renderHeadline(headline);
      renderReasons(reasons);
      renderQuality(quality);
      await tickets.load();
    });
  }

  window.ztDashboard = { start };
})();
