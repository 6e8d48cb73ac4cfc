// The "Recent tickets" card: the latest counting tickets and why each has its reason, for every
// reason or the one picked in the reasons table. A classic script like dashboard.js, run before
// it; dashboard.js creates the card with its own helpers (`$`, `fillTable`, `getJson`, `guarded`).
(() => {
  const utcTime = (iso) => iso.slice(0, 19).replace('T', ' ');

  function recentTickets({ $, fillTable, getJson, guarded }) {
    /** The reason the card shows; null for every reason. */
    let picked = null;

    /** The reasons table's row of the picked reason stays highlighted. */
    const markPicked = () => {
      for (const tr of $('reasons-table').querySelectorAll('tbody tr[data-reason]')) {
        tr.setAttribute('aria-selected', String(tr.dataset.reason === picked));
      }
    };

    const render = (result) => {
      const reason = result.reason;
      $('tickets-filter-name').textContent = reason ? reason.title : 'all reasons';
      $('tickets-reset').hidden = reason === null;
      fillTable(
        'tickets-table',
        result.tickets.map((t) => {
          const subject = t.subject || `#${t.ticketId}`;
          return [
            { text: utcTime(t.createdAt), className: 'nowrap' },
            t.customer ?? 'unlinked',
            t.url
              ? { text: subject, href: t.url, title: `Open ${t.source} ticket ${t.ticketId}` }
              : { text: subject, title: `${t.source} ticket ${t.ticketId}` },
            { text: t.reasonTitle, swatch: t.reasonColor, className: 'nowrap' },
            { text: t.why, title: t.detail || t.classifiedBy },
          ];
        }),
        reason ? 'No counting ticket with this reason yet.' : 'No counting ticket yet.',
        (tr, index) => {
          const t = result.tickets[index];
          tr.dataset.reason = t.reasonId;
          tr.dataset.ticket = `${t.source}:${t.ticketId}`;
        },
      );
      // Set last: readers and tests wait on it to know the rows match the filter.
      $('tickets-table').dataset.reason = reason ? reason.id : '';
    };

    const load = async () => {
      const reason = picked;
      const query = reason === null ? '' : `?reason=${encodeURIComponent(reason)}`;
      const result = await getJson(`api/tickets${query}`);
      if (reason === picked) render(result); // a later click won; its own load draws
    };

    const pick = (reasonId) => {
      picked = reasonId;
      markPicked();
      guarded(load);
    };

    /** Makes a reasons table row pick its reason, by click or by keyboard. */
    const pickerRow = (tr, reasonId) => {
      tr.dataset.reason = reasonId;
      tr.className = 'pickable';
      tr.tabIndex = 0;
      tr.title = "Show this reason's recent tickets";
      tr.setAttribute('aria-selected', String(reasonId === picked));
      tr.addEventListener('click', () => pick(reasonId));
      tr.addEventListener('keydown', (event) => {
        if (event.key !== 'Enter' && event.key !== ' ') return;
        event.preventDefault();
        pick(reasonId);
      });
    };

    $('tickets-reset').addEventListener('click', () => pick(null));
    return { load, pickerRow };
  }

  window.ztRecentTickets = recentTickets;
})();
