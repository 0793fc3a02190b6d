// Progressive enhancement of the review page: keyboard shortcuts and in-place updates.
// Every action is also a plain form that works without this script; here the same forms are posted
// with fetch (CSRF token in the x-csrf-token header) and the page content is swapped in place.
(() => {
  

  var current = -1;

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll('tr.row'));
  }
  function csrf() {
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.getAttribute('content') || '' : '';
  }
  function isReviewPage() {
    return !!document.getElementById('review-table');
  }

  function setCurrent(i, scroll) {
    var list = rows();
    if (!list.length) return;
    i = Math.max(0, Math.min(list.length - 1, i));
    if (list[current]) list[current].classList.remove('current');
    current = i;
    list[i].classList.add('current');
    if (scroll) list[i].scrollIntoView({ block: 'nearest' });
  }
  function currentRow() {
    return rows()[current] || null;
  }
  function rowIndex(id) {
    var list = rows();
    for (let i = 0; i < list.length; i++) {
      if (list[i].getAttribute('data-bead') === id) return i;
    }
    return -1;
  }
  function selectBead(id) {
    var i = rowIndex(id);
    if (i >= 0) return setCurrent(i, true);
    var list = rows();
    if (list.length) setCurrent(Math.min(Math.max(current, 0), list.length - 1), false);
  }

  var toastTimer = null;
  function toast(message, isError) {
    var t = document.getElementById('toast');
    if (!t) {
      t = document.createElement('div');
      t.id = 'toast';
      t.className = 'toast';
      t.setAttribute('role', 'status');
      document.body.appendChild(t);
    }
    t.textContent = message;
    t.className = isError ? 'toast error' : 'toast';
    t.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { t.hidden = true; }, isError ? 10000 : 1500);
  }

  // Reloads the main content of the page (same URL) and keeps the keyboard position. When the row
  // is gone (merged, emptied by someone else), the position goes to the first of `candidates` (the
  // rows the other change touched) that exists, else stays at the same place in the table.
  function refresh(url, beadId, candidates) {
    var target = url ? new URL(url, location.href) : new URL(location.href);
    var path = target.pathname + target.search;
    return fetch(path, { headers: { accept: 'text/html' }, credentials: 'same-origin' })
      .then((r) => r.text())
      .then((html) => {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var fresh = doc.querySelector('main');
        var main = document.querySelector('main');
        if (fresh && main) main.innerHTML = fresh.innerHTML;
        var meta = doc.querySelector('meta[name="csrf-token"]');
        var mine = document.querySelector('meta[name="csrf-token"]');
        if (meta && mine) mine.setAttribute('content', meta.getAttribute('content') || '');
        var prev = current;
        current = -1;
        var want = beadId || (target.hash.indexOf('#b-') === 0 ? decodeURIComponent(target.hash.slice(3)) : null);
        if (want && rowIndex(want) >= 0) selectBead(want);
        else {
          const alt = (candidates || []).filter((id) => rowIndex(id) >= 0)[0];
          if (alt) selectBead(alt);
          else if (prev >= 0) setCurrent(prev, true);
        }
        var row = currentRow();
        var hash = row ? `#${row.id}` : target.hash;
        if (path + hash !== location.pathname + location.search + location.hash) history.replaceState(null, '', path + hash);
        document.body.setAttribute('data-revision', String(Date.now()));
      });
  }

  function post(form, submitter) {
    var data = new FormData(form);
    if (submitter?.name) data.append(submitter.name, submitter.value);
    var body = new URLSearchParams();
    data.forEach((v, k) => { if (typeof v === 'string') body.append(k, v); });
    var keep = currentRow() ? currentRow().getAttribute('data-bead') : null;
    // A keyboard user who pressed a button must not be thrown back to the top of the page when the
    // content is swapped: the focus returns to the same button (or its row) afterwards.
    var refocus = submitter && document.activeElement === submitter ? submitter.getAttribute('data-op') || submitter.getAttribute('data-key') || '' : null;
    document.body.classList.add('busy');
    return fetch(form.getAttribute('action'), {
      method: 'POST',
      body: body,
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'x-csrf-token': csrf() },
    })
      .then((r) => r.json().then((j) => ({ status: r.status, json: j }), () => ({ status: r.status, json: {} })))
      .then((res) => {
        if (res.status >= 200 && res.status < 300) {
          return refresh(res.json.location, res.json.beadId || keep);
        }
        var msg = res.json.error || `The change was not made (${res.status}).`;
        var touched = [];
        if (res.status === 409) {
          msg = conflictMessage(res.json);
          (Array.isArray(res.json.changes) ? res.json.changes : []).forEach((c) => { touched = touched.concat(c.beadIds || []); });
        }
        toast(msg, true);
        return refresh(null, keep, touched);
      })
      .then(() => { if (refocus !== null) restoreFocus(refocus); })
      .catch(() => { toast('Network error: the change may not have been made.', true); })
      .then(() => { document.body.classList.remove('busy'); });
  }

  // What changed since the page was loaded, from the 409 answer (the same list as the 409 page).
  function conflictMessage(json) {
    var changes = Array.isArray(json.changes) ? json.changes : [];
    var what = changes.slice(0, 3).map((c) => `${c.author || 'someone'} ${c.summary || c.op?.kind || 'changed it'}`);
    if (changes.length > 3) what.push(`… (${changes.length} changes, see History)`);
    return `Not done: someone changed these rows first${what.length ? ` (${what.join('; ')})` : ''}. The page now shows the current version; try again if still needed.`;
  }

  function restoreFocus(op) {
    var row = currentRow();
    var el = null;
    if (op) el = (row?.querySelector(`[data-op="${op}"]`)) || document.querySelector(`[data-key="${op}"]`);
    if (!el && row) el = row.querySelector('button');
    if (el) el.focus();
  }

  // Forms of the review page that change the document are posted in place.
  document.addEventListener('submit', (e) => {
    if (!isReviewPage()) return;
    var form = e.target;
    var action = form.getAttribute('action') || '';
    if ((form.getAttribute('method') || '').toLowerCase() !== 'post') return;
    if (!/\/documents\/[^/]+\/(op|undo|redo)$/.test(action)) return;
    e.preventDefault();
    var submitter = e.submitter || null;
    if (submitter?.closest) {
      const tr = submitter.closest('tr.row');
      if (tr) selectBead(tr.getAttribute('data-bead'));
    }
    post(form, submitter);
  });

  // Clicking a row makes it the keyboard's current row.
  document.addEventListener('click', (e) => {
    var el = e.target;
    if (el?.closest?.('[data-help]')) {
      e.preventDefault();
      toggleHelp();
      return;
    }
    if (el?.closest?.('[data-close-help]')) {
      toggleHelp(false);
      return;
    }
    var tr = el?.closest ? el.closest('tr.row') : null;
    if (tr) selectBead(tr.getAttribute('data-bead'));
  });

  function toggleHelp(show) {
    var help = document.getElementById('help');
    if (!help) return;
    help.hidden = show === undefined ? !help.hidden : !show;
  }

  function press(op) {
    var row = currentRow();
    if (!row) return;
    var btn = row.querySelector(`[data-op="${op}"]`);
    if (!btn) return;
    if (btn.tagName === 'A') location.href = btn.getAttribute('href');
    else btn.click();
  }

  function openRow(hash) {
    var row = currentRow();
    var href = row?.getAttribute('data-row');
    if (href) location.href = href + hash;
  }

  // The next row after the current one that is not confirmed; past the page, the server finds it.
  function nextUnconfirmed() {
    var list = rows();
    for (let i = current + 1; i < list.length; i++) {
      if (!list[i].classList.contains('st-confirmed')) return setCurrent(i, true);
    }
    var form = document.getElementById('ops');
    var next = form?.getAttribute('data-next');
    if (next) location.href = next;
  }

  var ROW_KEYS = ['j', 'k', 'c', 'a', 'm', 'f', 'n', 's', 'e', 'u'];

  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    var tag = t?.tagName ? t.tagName.toLowerCase() : '';
    if (tag === 'input' || tag === 'textarea' || tag === 'select' || (t?.isContentEditable)) return;
    var help = document.getElementById('help');
    if (e.key === 'Escape' && help && !help.hidden) { toggleHelp(false); return; }
    if (e.key === '?') { e.preventDefault(); toggleHelp(); return; }
    if (!isReviewPage()) return;
    if (help && !help.hidden) return; // the help is open: it alone answers keys
    if (ROW_KEYS.indexOf(e.key) < 0) return; // Tab, arrows, Space … keep their usual meaning
    if (current < 0 && e.key !== 'u' && e.key !== 'n') {
      // No row chosen yet: the first key only chooses the first row (nothing is changed unseen).
      e.preventDefault();
      setCurrent(0, true);
      return;
    }
    switch (e.key) {
      case 'j': {
        e.preventDefault();
        const ops = document.getElementById('ops');
        const nextPage = ops?.getAttribute('data-next-page');
        if (current === rows().length - 1 && nextPage) location.href = nextPage;
        else setCurrent(current + 1, true);
        break;
      }
      case 'k': e.preventDefault(); setCurrent(current - 1, true); break;
      case 'c': press('confirm'); break;
      case 'a': press('confirmAbove'); break;
      case 'm': press('merge'); break;
      case 'f': press('flag'); break;
      case 'n': nextUnconfirmed(); break;
      case 's': openRow('#split'); break;
      case 'e': openRow('#edit'); break;
      case 'u': {
        const undo = document.querySelector('button[data-key="u"]');
        if (undo) undo.click();
        break;
      }
      default: return;
    }
  });

  function start() {
    if (!isReviewPage()) {
      // s / e open the row page at its split or edit form: the keyboard goes there too.
      // (After the load: the browser's own jump to the #fragment would take the focus away again.)
      if (location.hash === '#split' || location.hash === '#edit') {
        const field = document.querySelector(`${location.hash} select, ${location.hash} textarea`);
        if (field) {
          if (document.readyState === 'complete') field.focus();
          else window.addEventListener('load', () => { field.focus(); });
        }
      }
      return;
    }
    if (location.hash.indexOf('#b-') === 0) selectBead(decodeURIComponent(location.hash.slice(3)));
  }
  // Links to a row (#b-…) move the keyboard position too.
  window.addEventListener('hashchange', () => {
    if (isReviewPage() && location.hash.indexOf('#b-') === 0) selectBead(decodeURIComponent(location.hash.slice(3)));
  });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
