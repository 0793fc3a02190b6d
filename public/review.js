// The review page from the keyboard, every correction in place. Every action is also a plain form
// (or the row page's forms) that works without this script; here the same forms are posted with
// fetch (CSRF token in the x-csrf-token header, the page's view in x-review-view) and the rows the
// server renders in its answer replace the changed rows: no page load. Keys: views/partials/help.ejs.
(() => {
  const table = () => document.getElementById('review-table');
  const opsForm = () => document.getElementById('ops');
  const isReviewPage = () => !!table();

  // ───────────────────────── rows and the current row ─────────────────────────

  let current = null; // the current row's <tbody class="rg">
  let mode = null; // an open in-place tool: { kind, group, key(e) → handled?, close() }
  // Whether the reviewer scrolled the page themselves since the current row was chosen (then the row
  // may be out of view, and keys must not act on it unseen).
  let scrolledAway = false;
  const away = () => {
    scrolledAway = true;
  };
  window.addEventListener('wheel', away, { passive: true });
  window.addEventListener('touchmove', away, { passive: true });

  const groups = () => Array.prototype.slice.call(table().tBodies).filter((g) => g.classList.contains('rg'));
  const rowOf = (g) => g.querySelector('tr.row');
  const idOf = (g) => g.getAttribute('data-bead');
  // By the row's element id (b-<id>): the browser's id index, not a scan of the table.
  const groupOf = (id) => {
    const tr = id ? document.getElementById(`b-${id}`) : null;
    return tr?.parentElement?.classList.contains('rg') ? tr.parentElement : null;
  };
  const attached = (g) => !!g && g.isConnected;

  function stickyTop() {
    const head = table()?.tHead;
    return head ? head.getBoundingClientRect().height : 0;
  }
  function inView(g) {
    const r = rowOf(g).getBoundingClientRect();
    return r.bottom > stickyTop() + 4 && r.top < window.innerHeight - 4;
  }
  function firstInView() {
    for (const g of groups()) if (inView(g)) return g;
    return groups()[0] || null;
  }

  function select(g, opts) {
    if (!g) return;
    const o = opts || {};
    if (current && attached(current)) rowOf(current).classList.remove('current');
    current = g;
    const tr = rowOf(g);
    tr.classList.add('current');
    tr.setAttribute('tabindex', '-1');
    if (o.scroll !== false) tr.scrollIntoView({ block: 'nearest' });
    scrolledAway = false;
    if (o.focus !== false && !(document.activeElement && tr.contains(document.activeElement))) tr.focus({ preventScroll: true });
    const hash = `#${tr.id}`;
    if (location.hash !== hash) history.replaceState(null, '', location.pathname + location.search + hash);
  }

  /**
   * The current row if the reviewer can see it; else the first row in view becomes current and null
   * is returned. A row this script scrolled into view is in view; after the reviewer scrolled the page
   * (wheel, touch, Page Up/Down, Space, Home/End) its place is measured.
   */
  function visibleCurrent() {
    if (current && attached(current) && (!scrolledAway || inView(current))) return current;
    select(firstInView());
    return null;
  }

  function move(delta) {
    const list = groups();
    if (!current || !attached(current)) return select(firstInView());
    const i = list.indexOf(current) + delta;
    if (i >= list.length) {
      const next = opsForm().getAttribute('data-next-page');
      if (next) location.href = next;
      return;
    }
    select(list[Math.max(0, i)]);
  }

  function seek(delta, test) {
    const list = groups();
    let i = current && attached(current) ? list.indexOf(current) : delta > 0 ? -1 : list.length;
    for (i += delta; i >= 0 && i < list.length; i += delta) {
      if (test(list[i])) return select(list[i]);
    }
    return toast(delta > 0 ? 'No such row further down on this page.' : 'No such row further up on this page.');
  }
  const unconfirmed = (g) => !rowOf(g).classList.contains('st-confirmed');
  /** A weak alignment: the aligner's confidence below 0.5, or a side left empty (not rows aligned by hand). */
  const weak = (g) => {
    const tr = rowOf(g);
    if (tr.classList.contains('hand') || tr.classList.contains('st-confirmed')) return false;
    if (tr.querySelector('td.tgt > .empty-side, td.src > .empty-side')) return true;
    const m = /\bconf-(\d)\b/.exec(tr.querySelector('td.conf').className);
    return !!m && Number(m[1]) < 5;
  };
  /** A row with a QA finding or an issue. */
  const marked = (g) => !!rowOf(g).querySelector('td.marks .mark');

  // ───────────────────────── messages and dialogs ─────────────────────────

  let toastTimer = null;
  function toast(message, isError) {
    let t = document.getElementById('toast');
    if (!t) {
      t = document.createElement('div');
      t.id = 'toast';
      t.setAttribute('role', 'status');
      document.body.appendChild(t);
    }
    t.textContent = message;
    t.className = isError ? 'toast error' : 'toast';
    t.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { t.hidden = true; }, isError ? 10000 : 2500);
  }

  function toggleHelp(show) {
    const help = document.getElementById('help');
    if (help) help.hidden = show === undefined ? !help.hidden : !show;
  }
  const overlayOpen = () => Array.prototype.some.call(document.querySelectorAll('.help-overlay'), (o) => !o.hidden);

  // ───────────────────────── talking to the server ─────────────────────────

  const csrf = () => document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') || '';
  const base = () => opsForm().getAttribute('data-base');
  const view = () => opsForm().getAttribute('data-view') || '';
  const revision = () => opsForm().querySelector('input[name="baseRevision"]').value;
  const back = () => opsForm().querySelector('input[name="back"]').value;
  const labels = () => ({ target: opsForm().getAttribute('data-target-label') || 'target', source: opsForm().getAttribute('data-source-label') || 'source' });

  let queue = Promise.resolve();
  /** Runs actions one after the other (keys pressed while a change is on its way wait for it). */
  function serial(fn) {
    queue = queue.then(fn).catch((e) => { toast(`Something went wrong: ${e?.message || e}`, true); });
    return queue;
  }

  /** Posts a change; on success puts the changed rows in place and answers the server's JSON, else null. */
  async function post(path, fields, started) {
    if (!opsForm().getAttribute('data-reviewer') && !(await askName())) return null;
    const body = new URLSearchParams();
    body.set('baseRevision', revision());
    body.set('back', back());
    for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== null) body.set(k, String(v));
    const sent = performance.now();
    try {
      // A change that gets no answer in 30 s is reported (the keys waiting behind it go on).
      const r = await fetch(path, {
        method: 'POST',
        body,
        credentials: 'same-origin',
        headers: { accept: 'application/json', 'x-csrf-token': csrf(), 'x-review-view': view() },
        signal: AbortSignal.timeout(30_000),
      });
      const json = await r.json().catch(() => ({}));
      if (r.status === 403 && json.needsReviewer) {
        opsForm().setAttribute('data-reviewer', '');
        return (await askName()) ? post(path, fields, started) : null;
      }
      if (!r.ok) {
        if (r.status === 409) {
          toast(conflictMessage(json), true);
          await reloadRows((json.changes || []).flatMap((c) => c.beadIds || []));
        } else toast(json.error || `The change was not made (${r.status}).`, true);
        return null;
      }
      // Work that runs as a job (re-align): followed until it ends.
      if (r.status === 202 && json.job) return await followJob(json.job, { started, sent, path, fields });
      const timing = /app;dur=([\d.]+)/.exec(r.headers.get('server-timing') || '');
      const answered = performance.now();
      await applyChange(json);
      if (json.message) toast(json.message);
      shown({ started, sent, answered, applied: performance.now(), server: timing ? Number(timing[1]) : null, path, fields });
      return json;
    } catch (e) {
      toast(`No answer from the server: the change may or may not have been made (${e?.message || e}). The History page shows what was.`, true);
      return null;
    }
  }

  /**
   * Tells listeners (the editor benchmark, the tests) when a change is on the screen: after the frame
   * that renders it (a message posted from the frame's animation callback runs once that frame's style,
   * layout and paint are done).
   */
  function shown(detail) {
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        document.dispatchEvent(new CustomEvent('review:shown', { detail: { ...detail, shown: performance.now() } }));
      };
      channel.port2.postMessage(0);
    });
  }

  function conflictMessage(json) {
    const changes = Array.isArray(json.changes) ? json.changes : [];
    const what = changes.slice(0, 3).map((c) => `${c.author || 'someone'} ${c.summary || c.op?.kind || 'changed it'}`);
    if (changes.length > 3) what.push(`… (${changes.length} changes, see History)`);
    if (json.error && /^Not (undone|redone)/.test(json.error)) return json.error;
    return `Not done: someone changed these rows first${what.length ? ` (${what.join('; ')})` : ''}. The page now shows the current version; try again if still needed.`;
  }

  function setRevision(rev) {
    for (const input of document.querySelectorAll('input[name="baseRevision"]')) input.value = String(rev);
    const shownRev = document.querySelector('.doc-nav [data-rev]');
    if (shownRev) shownRev.textContent = String(rev);
  }

  function setCounts(c) {
    if (!c) return;
    for (const k of ['confirmed', 'total', 'flagged']) {
      const el = document.querySelector(`[data-count="${k}"]`);
      if (el) el.textContent = String(c[k]);
    }
    const bar = document.querySelector('.toolbar progress');
    if (bar) {
      bar.max = c.total;
      bar.value = c.confirmed;
    }
  }

  function setNumber(g, n) {
    g.setAttribute('data-n', String(n));
    const a = rowOf(g).cells[0]?.firstElementChild;
    if (a) {
      a.textContent = String(n);
      a.title = `row ${n} (id ${idOf(g)})`;
    }
  }

  /** Puts the rows of a change's answer in place of the page's own, and renumbers the rows below. */
  async function applyChange(json) {
    setRevision(json.revision);
    setCounts(json.counts);
    const r = json.rows;
    if (!r) return reloadRows([]);
    if (r.refresh) return reloadRows([json.beadId].filter(Boolean));
    const tpl = document.createElement('template');
    tpl.innerHTML = r.html;
    const fresh = Array.prototype.slice.call(tpl.content.querySelectorAll('tbody.rg'));
    const affected = [];
    for (const id of r.remove) {
      const g = groupOf(id);
      if (g) affected.push(g);
    }
    for (const f of fresh) {
      const g = groupOf(idOf(f));
      if (g) affected.push(g);
    }
    const freshSet = new Set(fresh);
    if (affected.length) {
      affected.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
      const first = affected[0];
      for (const f of fresh) {
        // The row below the change comes for its header and number: only where it is shown.
        if (idOf(f) === r.context && !groupOf(r.context)) {
          freshSet.delete(f);
          continue;
        }
        first.parentNode.insertBefore(f, first);
      }
      for (const g of affected) g.remove();
    } else {
      for (const f of fresh) freshSet.delete(f);
    }
    const s = r.span;
    if (s && s.after !== s.before) {
      for (const g of groups()) {
        if (freshSet.has(g)) continue;
        const n = Number(g.getAttribute('data-n'));
        if (n > s.at + s.before) setNumber(g, n + s.after - s.before);
      }
    }
    if (current && !attached(current)) current = null;
  }

  /**
   * A change that runs as a job (re-align): its progress in the toast until it ends, then the rows it
   * leads to (its landing, loaded in place of the page's rows: no page load).
   */
  async function followJob(job, detail) {
    const until = Date.now() + 15 * 60_000;
    let j = job;
    while (j.state === 'queued' || j.state === 'running') {
      if (Date.now() > until) {
        toast(`${j.label} is still running: its page is ${j.links.page}.`, true);
        return null;
      }
      toast(`${j.label}: ${Math.round(j.progress * 100)} %${j.message ? ` (${j.message})` : ''}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
      const r = await fetch(j.links.api, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (!r.ok) {
        toast(`${j.label}: no news of it (${r.status}); its page is ${j.links.page}.`, true);
        return null;
      }
      j = await r.json();
    }
    if (j.state !== 'done') {
      toast(j.message || `${j.label}: ${j.state}.`, true);
      return null;
    }
    const realigned = j.result?.realigned;
    const at = realigned?.at;
    // The landing keeps the page's filters (the row is shown with them if it matches them).
    await reloadRows(at ? [at] : [], j.links.landing ? `${j.links.landing}${location.search}` : null);
    toast(realigned && realigned.rows === 0 ? 'Re-align kept every row as it was.' : `${j.label}: ${j.result?.summary || 'done'}.`);
    const now = performance.now();
    shown({ ...detail, answered: now, applied: now, server: null });
    return j;
  }

  /**
   * Loads the page's rows again (after a conflict, or a change of very many rows); keeps the place.
   * `url`: another view of the document to load instead (the page's address follows it).
   */
  async function reloadRows(candidates, url) {
    const keep = current && idOf(current);
    const r = await fetch(url || location.pathname + location.search, { headers: { accept: 'text/html' }, credentials: 'same-origin' });
    if (url && r.ok) {
      const to = new URL(r.url);
      if (to.pathname + to.search !== location.pathname + location.search) history.replaceState(null, '', to.pathname + to.search);
    }
    const doc = new DOMParser().parseFromString(await r.text(), 'text/html');
    const fresh = doc.querySelector('main');
    const main = document.querySelector('main');
    if (fresh && main) main.innerHTML = fresh.innerHTML;
    const meta = doc.querySelector('meta[name="csrf-token"]');
    if (meta) document.querySelector('meta[name="csrf-token"]')?.setAttribute('content', meta.getAttribute('content') || '');
    current = null;
    // After a landing, its row first; else the row the reviewer was on.
    const want = (url ? [...(candidates || []), keep] : [keep, ...(candidates || [])]).map((id) => id && groupOf(id)).find(Boolean);
    select(want || firstInView(), { scroll: !!want });
  }

  // ───────────────────────── the reviewer's name, asked once ─────────────────────────

  function askName() {
    const dialog = document.getElementById('name-dialog');
    const form = document.getElementById('name-form');
    if (!dialog || !form) return Promise.resolve(false);
    dialog.hidden = false;
    const input = form.querySelector('input[name="name"]');
    input.focus();
    return new Promise((resolve) => {
      const done = (ok) => {
        dialog.hidden = true;
        form.removeEventListener('submit', onSubmit);
        dialog.removeEventListener('keydown', onKey);
        resolve(ok);
      };
      const onKey = (e) => {
        if (e.key === 'Escape') done(false);
      };
      const onSubmit = async (e) => {
        e.preventDefault();
        const body = new URLSearchParams(new FormData(form));
        const r = await fetch('/reviewer', { method: 'POST', body, credentials: 'same-origin', headers: { accept: 'application/json', 'x-csrf-token': csrf() } });
        const json = await r.json().catch(() => ({}));
        if (!r.ok) return toast(json.error || 'The name was not saved.', true);
        opsForm().setAttribute('data-reviewer', json.reviewer);
        const who = document.querySelector('header.site .who');
        if (who) {
          who.textContent = '';
          const span = document.createElement('span');
          span.className = 'reviewer';
          span.append('Reviewer: ');
          const strong = document.createElement('strong');
          strong.textContent = json.reviewer;
          span.append(strong);
          who.append(span);
        }
        done(true);
      };
      form.addEventListener('submit', onSubmit);
      dialog.addEventListener('keydown', onKey);
    });
  }

  // ───────────────────────── operations ─────────────────────────

  const op = (fields, started) => post(`${base()}/op`, fields, started);

  async function rowOp(kind, g, started, extra) {
    const id = idOf(g);
    const json = await op({ op: kind, beadId: id, ...(extra || {}) }, started);
    if (!json) return null;
    const again = groupOf(json.beadId || id) || groupOf(id);
    if (again) select(again, { focus: true });
    return json;
  }

  async function confirmAndNext(g, started) {
    const id = idOf(g);
    // An already confirmed row is passed over: c only moves on.
    if (unconfirmed(g) && !(await op({ op: 'confirm', beadId: id }, started))) return;
    const here = groupOf(id);
    if (!here) return;
    const list = groups();
    for (let i = list.indexOf(here) + 1; i < list.length; i++) {
      if (unconfirmed(list[i])) return select(list[i]);
    }
    select(here);
    toast('Confirmed; no unconfirmed row below on this page.');
  }

  async function step(direction, started) {
    const json = await post(`${base()}/${direction}`, { scope: 'author' }, started);
    if (!json) return;
    const firstChanged = json.rows && !json.rows.refresh ? new DOMParser().parseFromString(`<table>${json.rows.html}</table>`, 'text/html').querySelector('tbody.rg') : null;
    const g = (firstChanged && groupOf(idOf(firstChanged))) || (current && attached(current) ? current : null);
    if (g) select(g);
  }

  // ───────────────────────── split a row in place ─────────────────────────

  function cells(g) {
    const tr = rowOf(g);
    return { target: tr.querySelector('td.tgt'), source: tr.querySelector('td.src') };
  }
  const sentences = (cell) => Array.prototype.slice.call(cell.querySelectorAll(':scope > span.s'));

  function openSplit(g) {
    const c = cells(g);
    const n = { target: sentences(c.target).length, source: sentences(c.source).length };
    if (n.target + n.source < 2) return toast('A row of one sentence cannot be split: there is nothing to divide.', true);
    const saved = { target: c.target.innerHTML, source: c.source.innerHTML };
    const at = {
      target: n.target > 1 ? Math.floor(n.target / 2) : n.target,
      source: n.source > 1 ? Math.floor(n.source / 2) : 0,
    };
    for (const side of ['target', 'source']) {
      const list = sentences(c[side]);
      for (let k = 0; k <= list.length; k++) {
        const cut = document.createElement('button');
        cut.type = 'button';
        cut.className = 'cut';
        cut.setAttribute('data-side', side);
        cut.setAttribute('data-at', String(k));
        cut.setAttribute('aria-label', `${labels()[side]}: keep ${k} sentence${k === 1 ? '' : 's'} in the first row`);
        cut.textContent = '✂';
        if (k < list.length) c[side].insertBefore(cut, list[k]);
        else c[side].appendChild(cut);
      }
    }
    const bar = hintRow(g, `Split row ${g.getAttribute('data-n')}: ←/→ move the ${labels().target} boundary, Shift+←/→ the ${labels().source} one; Enter splits, Esc cancels.`, [
      ['Split', () => serial(() => commit(performance.now()))],
      ['Cancel', () => close()],
    ]);
    const paint = () => {
      for (const cut of rowOf(g).querySelectorAll('button.cut')) cut.classList.toggle('on', Number(cut.getAttribute('data-at')) === at[cut.getAttribute('data-side')]);
    };
    const close = () => {
      c.target.innerHTML = saved.target;
      c.source.innerHTML = saved.source;
      bar.remove();
      rowOf(g).classList.remove('splitting');
      mode = null;
    };
    const commit = async (started) => {
      close();
      await rowOp('split', g, started, { sourceAt: at.source, targetAt: at.target });
    };
    rowOf(g).classList.add('splitting');
    rowOf(g).addEventListener('click', (e) => {
      const cut = e.target.closest?.('button.cut');
      if (!cut || mode?.group !== g) return;
      at[cut.getAttribute('data-side')] = Number(cut.getAttribute('data-at'));
      paint();
    });
    paint();
    mode = {
      kind: 'split',
      group: g,
      close,
      key(e) {
        if (e.key === 'Escape') close();
        else if (e.key === 'Enter') serial(() => commit(e.timeStamp));
        else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
          const side = e.shiftKey ? 'source' : 'target';
          at[side] = Math.max(0, Math.min(n[side], at[side] + (e.key === 'ArrowLeft' ? -1 : 1)));
          paint();
        } else if (e.key === 'Tab') return false;
        return true;
      },
    };
  }

  /** A row of hints and buttons below a row (an in-place tool's controls). */
  function hintRow(g, text, buttons) {
    const tr = document.createElement('tr');
    tr.className = 'inplace-row';
    const td = document.createElement('td');
    td.colSpan = 7;
    const p = document.createElement('span');
    p.className = 'hint';
    p.textContent = text;
    td.appendChild(p);
    for (const [label, fn] of buttons) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = label;
      b.addEventListener('click', fn);
      td.append(' ', b);
    }
    tr.appendChild(td);
    rowOf(g).after(tr);
    return tr;
  }

  // ───────────────────────── edit the translation in place ─────────────────────────

  let diffLib = null;
  function loadDiff() {
    if (window.Diff) return Promise.resolve(window.Diff);
    if (!diffLib) {
      diffLib = new Promise((resolve) => {
        const s = document.createElement('script');
        s.src = '/public/vendor/diff.min.js';
        s.onload = () => resolve(window.Diff || null);
        s.onerror = () => resolve(null);
        document.head.appendChild(s);
      });
    }
    return diffLib;
  }

  function renderDiff(box, original, text, cjk) {
    box.textContent = '';
    if (original === text) return;
    const D = window.Diff;
    if (!D) return;
    const label = document.createElement('span');
    label.className = 'diff-label';
    label.textContent = 'Change against the machine output: ';
    box.appendChild(label);
    for (const part of cjk ? D.diffChars(original, text) : D.diffWords(original, text)) {
      const el = document.createElement(part.added ? 'ins' : part.removed ? 'del' : 'span');
      el.textContent = part.value;
      box.appendChild(el);
    }
  }

  function openEditor(g, focusSide, focusIndex, caretAtStart) {
    const c = cells(g);
    const saved = { target: c.target.innerHTML, source: c.source.innerHTML };
    const targetLang = c.target.getAttribute('lang') || '';
    const cjk = /^(zh|ja|cmn|yue|wuu|lzh)\b/i.test(targetLang);
    const boxes = [];
    for (const side of ['target', 'source']) {
      const list = sentences(c[side]);
      if (!list.length) continue;
      const wrap = document.createElement('div');
      wrap.className = `editor editor-${side}`;
      list.forEach((s) => {
        const text = s.textContent;
        const original = s.getAttribute('data-original') ?? text;
        const ta = document.createElement('textarea');
        ta.value = text;
        ta.rows = Math.max(2, Math.ceil(text.length / (side === 'target' ? 30 : 60)));
        ta.setAttribute('lang', c[side].getAttribute('lang') || '');
        ta.setAttribute('data-side', side);
        ta.setAttribute('data-i', s.getAttribute('data-i'));
        ta.setAttribute('aria-label', `${labels()[side]} sentence ${Number(s.getAttribute('data-i')) + 1}${side === 'source' ? ' (read only: place the caret to split it)' : ''}`);
        // The source is not edited, but takes a caret (a read-only textarea has none in Chromium).
        if (side === 'source') {
          ta.setAttribute('aria-readonly', 'true');
          ta.addEventListener('beforeinput', (ev) => ev.preventDefault());
        }
        wrap.appendChild(ta);
        if (side === 'target') {
          const d = document.createElement('div');
          d.className = 'diff live-diff';
          d.setAttribute('lang', targetLang);
          wrap.appendChild(d);
          const update = () => renderDiff(d, original, ta.value, cjk);
          ta.addEventListener('input', update);
          loadDiff().then(update);
        }
        boxes.push({ ta, side, index: Number(s.getAttribute('data-i')), text });
      });
      c[side].textContent = '';
      c[side].appendChild(wrap);
    }
    const bar = hintRow(g, 'Ctrl+Enter saves, Esc cancels; Alt+Enter splits the sentence at the caret, Alt+J joins it with the next one.', [
      ['Save', () => serial(() => save(performance.now()))],
      ['Cancel', () => close()],
    ]);
    rowOf(g).classList.add('editing');
    const close = () => {
      c.target.innerHTML = saved.target;
      c.source.innerHTML = saved.source;
      bar.remove();
      rowOf(g).classList.remove('editing');
      mode = null;
      select(g);
    };
    /** Saves the edited sentences (one change each); true when all were saved. */
    const saveEdits = async (started) => {
      for (const b of boxes) {
        if (b.side !== 'target' || b.ta.value === b.text) continue;
        const json = await post(`${base()}/op`, { op: 'editTarget', beadId: idOf(g), sentence: b.index, text: b.ta.value }, started);
        if (!json) return false;
      }
      return true;
    };
    const save = async (started) => {
      const id = idOf(g);
      const dirty = boxes.some((b) => b.side === 'target' && b.ta.value !== b.text);
      mode = null;
      if (!dirty) return close();
      bar.remove();
      if (await saveEdits(started)) {
        const again = groupOf(id);
        if (again) select(again);
      }
    };
    const segment = async (kind, b, started) => {
      const id = idOf(g);
      const caret = b.ta.selectionStart;
      mode = null;
      bar.remove();
      if (b.side === 'target' && b.ta.value !== b.text && !(await saveEdits(started))) return;
      const json = await post(`${base()}/op`, kind === 'split' ? { op: 'splitSentence', beadId: id, side: b.side, sentence: b.index, at: caret } : { op: 'joinSentence', beadId: id, side: b.side, sentence: b.index }, started);
      const again = groupOf(id);
      if (json && again) {
        select(again);
        openEditor(again, b.side, kind === 'split' ? b.index + 1 : b.index, kind === 'split');
      }
    };
    mode = {
      kind: 'edit',
      group: g,
      close,
      key(e) {
        const b = boxes.find((x) => x.ta === e.target);
        if (e.key === 'Escape') close();
        else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) serial(() => save(e.timeStamp));
        else if (b && e.key === 'Enter' && e.altKey) serial(() => segment('split', b, e.timeStamp));
        else if (b && (e.key === 'j' || e.key === 'J' || e.code === 'KeyJ') && e.altKey) serial(() => segment('join', b, e.timeStamp));
        else return false;
        return true;
      },
    };
    const first = boxes.find((b) => b.side === (focusSide || 'target') && (focusIndex === undefined || b.index === focusIndex)) || boxes[0];
    if (first) {
      first.ta.focus();
      const at = caretAtStart ? 0 : first.ta.value.length;
      first.ta.setSelectionRange(at, at);
    }
  }

  // ───────────────────────── add an issue in place ─────────────────────────

  function openIssue(g) {
    const tpl = document.getElementById('issue-form-template');
    if (!tpl) return;
    const tr = document.createElement('tr');
    tr.className = 'inplace-row';
    const td = document.createElement('td');
    td.colSpan = 7;
    td.appendChild(tpl.content.cloneNode(true));
    tr.appendChild(td);
    rowOf(g).after(tr);
    const field = (name) => td.querySelector(`[name="${name}"]`);
    const close = () => {
      tr.remove();
      mode = null;
      select(g);
    };
    const save = async (started) => {
      const fields = { op: 'addIssue', beadId: idOf(g), category: field('category').value, severity: field('severity').value, comment: field('comment').value };
      tr.remove();
      mode = null;
      const json = await op(fields, started);
      const again = json && groupOf(fields.beadId);
      if (again) select(again);
    };
    td.querySelector('[data-inplace="save"]').addEventListener('click', () => serial(() => save(performance.now())));
    td.querySelector('[data-inplace="cancel"]').addEventListener('click', close);
    mode = {
      kind: 'issue',
      group: g,
      close,
      key(e) {
        if (e.key === 'Escape') close();
        else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) serial(() => save(e.timeStamp));
        else return false;
        return true;
      },
    };
    field('category').focus();
  }

  // ───────────────────────── a row opened in place ─────────────────────────

  const panelOf = (g) => g.querySelector('tr.panel');

  async function togglePanel(g, force) {
    const open = panelOf(g);
    if (open && force !== true) {
      open.remove();
      return;
    }
    const href = rowOf(g).getAttribute('data-row') || '';
    const path = `${href.split('?')[0]}/panel`;
    const r = await fetch(path, { headers: { accept: 'text/html' }, credentials: 'same-origin' });
    if (!r.ok) return toast('The row could not be opened.', true);
    const tpl = document.createElement('template');
    tpl.innerHTML = `<table><tbody>${await r.text()}</tbody></table>`;
    const tr = tpl.content.querySelector('tr.panel');
    if (!tr || !attached(g)) return;
    panelOf(g)?.remove();
    (g.querySelector('tr.inplace-row') || rowOf(g)).after(tr);
  }

  /** A change made from an open row keeps it open. */
  async function fromPanel(g, fields, started) {
    const id = idOf(g);
    const json = await op(fields, started);
    const again = json && groupOf(id);
    if (again) {
      select(again);
      await togglePanel(again, true);
    }
  }

  // ───────────────────────── re-align (asks first) ─────────────────────────

  async function realign(from) {
    const url = `${base()}/realign${from ? `?from=${encodeURIComponent(from)}` : ''}`;
    const r = await fetch(url, { headers: { accept: 'text/html' }, credentials: 'same-origin' });
    const page = new DOMParser().parseFromString(await r.text(), 'text/html');
    const main = page.querySelector('main');
    if (!r.ok || !main) return toast('Re-align is not available here.', true);
    let dialog = document.getElementById('realign-dialog');
    if (!dialog) {
      dialog = document.createElement('div');
      dialog.id = 'realign-dialog';
      dialog.className = 'help-overlay';
      document.body.appendChild(dialog);
    }
    const box = document.createElement('div');
    box.className = 'help-box';
    box.setAttribute('role', 'dialog');
    box.append(...Array.prototype.slice.call(main.children).filter((el) => !el.matches('nav.doc-nav')));
    dialog.textContent = '';
    dialog.appendChild(box);
    dialog.hidden = false;
    const close = () => {
      dialog.hidden = true;
      mode = null;
    };
    for (const a of box.querySelectorAll('a.button')) {
      a.addEventListener('click', (e) => {
        e.preventDefault();
        close();
      });
    }
    const form = box.querySelector('form');
    mode = {
      kind: 'realign',
      group: current,
      close,
      key(e) {
        if (e.key !== 'Escape') return false;
        close();
        return true;
      },
    };
    if (!form) return;
    form.querySelector('button')?.focus();
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      close();
      const fields = Object.fromEntries(new FormData(form));
      delete fields._csrf;
      delete fields.baseRevision;
      serial(() => post(`${base()}/realign`, fields, e.timeStamp));
    });
  }

  // ───────────────────────── go to a row ─────────────────────────

  function goTo() {
    const n = window.prompt('Go to row number:');
    if (!n || !/^\d+$/.test(n.trim())) return;
    const want = Number(n.trim());
    for (const g of groups()) if (Number(g.getAttribute('data-n')) === want) return select(g);
    location.href = `${base()}/at/${want}${view()}`;
  }

  // ───────────────────────── keys ─────────────────────────

  /** Keys that act on the current row, and what they do. */
  const ROW_ACTIONS = {
    c: (g, t) => confirmAndNext(g, t),
    C: (g, t) => rowOp('unconfirm', g, t),
    a: (g, t) => rowOp('confirmAbove', g, t),
    f: (g, t) => rowOp(rowOf(g).classList.contains('st-flagged') ? 'unconfirm' : 'flag', g, t),
    m: (g, t) => rowOp('merge', g, t),
    '[': (g, t) => rowOp('shiftUp', g, t, { side: 'target' }),
    ']': (g, t) => rowOp('shiftDown', g, t, { side: 'target' }),
    '{': (g, t) => rowOp('shiftUp', g, t, { side: 'source' }),
    '}': (g, t) => rowOp('shiftDown', g, t, { side: 'source' }),
    o: (g, t) => rowOp('detach', g, t, { side: 'target' }),
    O: (g, t) => rowOp('detach', g, t, { side: 'source' }),
    s: (g) => openSplit(g),
    e: (g) => openEditor(g),
    i: (g) => openIssue(g),
    x: (g) => togglePanel(g),
    R: (g) => realign(idOf(g)),
  };
  const NAV = {
    j: () => move(1),
    ArrowDown: () => move(1),
    k: () => move(-1),
    ArrowUp: () => move(-1),
    n: () => seek(1, unconfirmed),
    N: () => seek(-1, unconfirmed),
    w: () => seek(1, weak),
    W: () => seek(-1, weak),
    q: () => seek(1, marked),
    Q: () => seek(-1, marked),
  };

  function typing(t) {
    const tag = t?.tagName ? t.tagName.toLowerCase() : '';
    return tag === 'input' || tag === 'textarea' || tag === 'select' || !!t?.isContentEditable;
  }

  document.addEventListener('keydown', (e) => {
    if (!isReviewPage()) {
      if (e.key === '?' && !typing(e.target)) toggleHelp();
      return;
    }
    if (mode) {
      if (mode.key(e)) e.preventDefault();
      return;
    }
    const help = document.getElementById('help');
    if (help && !help.hidden) {
      if (e.key === 'Escape' || e.key === '?') toggleHelp(false);
      return;
    }
    if (overlayOpen() || typing(e.target)) return;
    if (['PageDown', 'PageUp', ' ', 'Home', 'End'].includes(e.key)) away();
    if (e.altKey || e.metaKey) return;
    let key = e.key;
    if (e.ctrlKey) {
      if (key !== 'Enter') return;
      key = 'c';
    }
    if (key === '?') {
      e.preventDefault();
      return toggleHelp(true);
    }
    if (key === '/') {
      e.preventDefault();
      return document.querySelector('#filters input[name="q"]')?.focus();
    }
    if (key === 'g') {
      e.preventDefault();
      return goTo();
    }
    if (key === 'u' || key === 'U') {
      e.preventDefault();
      const t = e.timeStamp;
      return serial(() => step(key === 'u' ? 'undo' : 'redo', t));
    }
    if (key === 'Escape' && current && attached(current) && panelOf(current)) {
      panelOf(current).remove();
      return;
    }
    if (key === 'Enter' && e.target?.closest && e.target.closest('button, a')) return; // a focused control answers Enter itself
    if (key === 'Enter') key = 'x';
    if (NAV[key]) {
      e.preventDefault();
      return serial(() => NAV[key]());
    }
    const act = ROW_ACTIONS[key];
    if (!act) return; // Tab, Space, Page Down … keep their usual meaning
    e.preventDefault();
    const t = e.timeStamp;
    serial(() => {
      // A key never acts on a row the reviewer cannot see: it selects the first row in view instead.
      const g = visibleCurrent();
      if (!g) return;
      return act(g, t);
    });
  });

  // ───────────────────────── clicks and forms ─────────────────────────

  document.addEventListener('submit', (e) => {
    if (!isReviewPage()) return;
    const form = e.target;
    const action = form.getAttribute('action') || '';
    if ((form.getAttribute('method') || '').toLowerCase() !== 'post' || !/\/documents\/[^/]+\/(op|undo|redo)$/.test(action)) return;
    e.preventDefault();
    const fields = {};
    new FormData(form).forEach((v, k) => {
      if (typeof v === 'string' && k !== '_csrf' && k !== 'baseRevision' && k !== 'back') fields[k] = v;
    });
    const submitter = e.submitter;
    if (submitter?.name) fields[submitter.name] = submitter.value;
    const g = submitter?.closest?.('tbody.rg');
    const refocus = submitter && document.activeElement === submitter ? submitter.getAttribute('data-op') || submitter.getAttribute('data-key') : null;
    const t = e.timeStamp;
    serial(async () => {
      if (g) select(g, { focus: false, scroll: false });
      const id = g && idOf(g);
      const panel = g && !!panelOf(g);
      const json = await post(action, fields, t);
      if (!json) return;
      const again = (json.beadId && groupOf(json.beadId)) || (id && groupOf(id));
      if (again) {
        select(again, { focus: !refocus });
        if (panel) await togglePanel(again, true);
        if (refocus) (rowOf(again).querySelector(`[data-op="${refocus}"]`) || rowOf(again).querySelector('button'))?.focus();
      } else if (refocus) document.querySelector(`[data-key="${refocus}"]`)?.focus();
    });
  });

  document.addEventListener('click', (e) => {
    const el = e.target;
    if (el?.closest?.('[data-help]')) {
      e.preventDefault();
      return toggleHelp();
    }
    if (el?.closest?.('[data-close-help]')) {
      e.preventDefault();
      return toggleHelp(false);
    }
    if (!isReviewPage()) return;
    if (el?.closest?.('[data-realign]')) {
      e.preventDefault();
      return realign(null);
    }
    const g = el?.closest?.('tbody.rg');
    if (!g) return;
    const more = el.closest('a[data-op="more"]');
    if (more) {
      e.preventDefault();
      select(g);
      return togglePanel(g);
    }
    const keyAct = el.closest('[data-key-act]');
    if (keyAct) {
      select(g, { focus: false });
      const act = ROW_ACTIONS[keyAct.getAttribute('data-key-act')];
      return act && serial(() => act(g, e.timeStamp));
    }
    const finding = el.closest('[data-finding]');
    if (finding) {
      const fields = JSON.parse(finding.getAttribute('data-finding'));
      if (finding.getAttribute('data-finding-action') === 'dismiss') fields.status = 'dismissed';
      return serial(() => fromPanel(g, fields, e.timeStamp));
    }
    const issue = el.closest('[data-issue]');
    if (issue) {
      return serial(() => fromPanel(g, { op: 'setIssueStatus', beadId: idOf(g), issueId: issue.getAttribute('data-issue'), status: issue.getAttribute('data-issue-status') }, e.timeStamp));
    }
    if (!mode || mode.group !== g) select(g, { focus: !el.closest('button, a, textarea, input, select') });
  });

  function start() {
    if (!isReviewPage()) {
      // The row page opened at a form (#split, #edit …): the keyboard goes there too.
      if (/^#(split|edit|issue|segments)$/.test(location.hash)) {
        const field = document.querySelector(`${location.hash} select, ${location.hash} textarea, ${location.hash} input:not([type=hidden])`);
        if (field) {
          if (document.readyState === 'complete') field.focus();
          else window.addEventListener('load', () => field.focus());
        }
      }
      return;
    }
    if (location.hash.indexOf('#b-') === 0) {
      const g = groupOf(decodeURIComponent(location.hash.slice(3)));
      if (g) select(g);
    }
  }
  window.addEventListener('hashchange', () => {
    if (isReviewPage() && location.hash.indexOf('#b-') === 0) {
      const g = groupOf(decodeURIComponent(location.hash.slice(3)));
      if (g) select(g);
    }
  });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
