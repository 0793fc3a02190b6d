// Word highlighting on the review page: pointing at a word (or moving the caret onto it) highlights the
// words it corresponds to on the other side, from the document's word alignment
// (GET /api/documents/:id/words?beads=…, server/words). Self-contained, so the page only includes it.
//
// What it reads from the page: rows as the innermost elements with data-bead="<row id>" (a group of a
// row's elements may carry it too); in a row, the sentences of each side in order, as elements with
// data-side="source|target" (or, failing that, `.src .s` and `.tgt .s`), whose text is the sentence's
// text. The document id comes from a data-doc-id attribute or the page's address (/documents/:id).
// Rows added later (a page updated in place) are read too. Only rows near the viewport are asked for
// and annotated (an IntersectionObserver), after a pause: a page of hundreds of rows keeps its size
// and the review editor's in-place changes go first, so they stay quick.
(() => {
  const words = {}; // bead id → { sig, data: { source, target, links } } from the API
  const pending = {}; // bead id → true while asked for
  const failed = {}; // bead id → true when the API had nothing for it (not asked again)
  let lit = [];

  function docId() {
    const el = document.querySelector('[data-doc-id]');
    if (el) return el.getAttribute('data-doc-id');
    const m = /^\/documents\/([^/]+)/.exec(location.pathname);
    return m ? decodeURIComponent(m[1]) : null;
  }

  function sentences(row, side) {
    const own = row.querySelectorAll(`[data-side="${side}"]`);
    if (own.length) return Array.prototype.slice.call(own);
    return Array.prototype.slice.call(row.querySelectorAll(side === 'source' ? '.src .s' : '.tgt .s'));
  }

  // Wraps [start, end) of an element's text in a span, walking its text nodes.
  function wrap(el, start, end, attrs) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let at = 0;
    let node = walker.nextNode();
    while (node) {
      const len = node.nodeValue.length;
      if (start >= at && end <= at + len) {
        const range = document.createRange();
        range.setStart(node, start - at);
        range.setEnd(node, end - at);
        const span = document.createElement('span');
        span.className = 'wl';
        for (const k in attrs) span.setAttribute(k, attrs[k]);
        range.surroundContents(span);
        return true;
      }
      at += len;
      node = walker.nextNode();
    }
    return false; // the word crosses an element boundary: left as it is
  }

  // The row's sentences as shown: words fetched for other text (the row was edited) are asked again.
  function signature(row) {
    return sentences(row, 'source').concat(sentences(row, 'target')).map((el) => el.textContent).join('\u0001');
  }

  // A row is an element with data-bead holding no other: the group around a row is not read twice.
  const isRow = (el) => !el.querySelector('[data-bead]');

  function annotate(row) {
    if (!isRow(row)) return;
    const id = row.getAttribute('data-bead');
    const entry = words[id];
    if (!entry || row.getAttribute('data-wl') === 'done') return;
    if (entry.sig !== signature(row)) {
      delete words[id];
      return;
    }
    const w = entry.data;
    row.setAttribute('data-wl', 'done');
    ['source', 'target'].forEach((side) => {
      const els = sentences(row, side);
      // Right to left within a sentence, so earlier offsets stay valid while wrapping.
      for (let i = w[side].length - 1; i >= 0; i--) {
        const t = w[side][i];
        const el = els[t.sentence];
        if (!el || t.kind === 'function') continue;
        if (el.textContent.slice(t.start, t.end) !== t.text) continue;
        wrap(el, t.start, t.end, { 'data-wl-side': side, 'data-wl-word': String(i) });
      }
    });
  }

  function fetchRows(rows) {
    const doc = docId();
    if (!doc) return;
    const sigs = {};
    rows.forEach((r) => {
      sigs[r.getAttribute('data-bead')] = signature(r);
    });
    const ids = Object.keys(sigs).filter((id) => id && !words[id] && !pending[id] && !failed[id]);
    for (let k = 0; k < ids.length; k += 200) {
      const chunk = ids.slice(k, k + 200);
      chunk.forEach((id) => {
        pending[id] = true;
      });
      fetch(`/api/documents/${encodeURIComponent(doc)}/words?beads=${chunk.map(encodeURIComponent).join(',')}`, { headers: { accept: 'application/json' } })
        .then((r) => (r.ok ? r.json() : null))
        .then((body) => {
          chunk.forEach((id) => {
            delete pending[id];
          });
          if (!body) {
            chunk.forEach((id) => {
              failed[id] = true;
            });
            return;
          }
          for (const id in body.beads) words[id] = { sig: sigs[id], data: body.beads[id] };
          // Rows merged or split away since the page was drawn: not asked for again.
          (body.missing || []).forEach((id) => {
            failed[id] = true;
          });
          near.forEach((row) => {
            if (row.isConnected) annotate(row);
            else near.delete(row);
          });
        })
        .catch(() => {
          chunk.forEach((id) => {
            delete pending[id];
          });
        });
    }
  }

  // Rows within reach of the viewport: the ones asked for and annotated.
  const near = new Set();
  let sight = null;

  /** The rows an element holds (itself when it is one). */
  function rowsOf(el) {
    if (el.matches('[data-bead]') && isRow(el)) return [el];
    return Array.prototype.slice.call(el.querySelectorAll('[data-bead]')).filter(isRow);
  }

  /** The outermost elements with data-bead in `root` (itself included): each is watched once. */
  function outermost(root) {
    const all = root.matches('[data-bead]') ? [root] : Array.prototype.slice.call(root.querySelectorAll('[data-bead]'));
    return all.filter((el) => !el.parentElement?.closest('[data-bead]'));
  }

  // Rows come near in bursts (a page loaded, a scroll, key after key of the review editor): they are
  // read after a pause, so the page's own changes and requests go first.
  const queued = new Set();
  let timer = 0;
  function comeNear(rows) {
    rows.forEach((r) => {
      near.add(r);
      queued.add(r);
    });
    clearTimeout(timer);
    timer = setTimeout(flush, 250);
  }

  function flush() {
    const rows = Array.from(queued).filter((r) => r.isConnected && near.has(r));
    queued.clear();
    rows.forEach(annotate);
    fetchRows(rows.filter((r) => r.getAttribute('data-wl') !== 'done'));
  }

  function watch(el) {
    if (sight) sight.observe(el);
    else comeNear(rowsOf(el)); // no IntersectionObserver: every row
  }

  function clear() {
    lit.forEach((el) => {
      el.classList.remove('wl-on', 'wl-partner');
    });
    lit = [];
  }

  function light(wordEl) {
    clear();
    const row = wordEl.closest('[data-bead]');
    const entry = row && words[row.getAttribute('data-bead')];
    if (!entry) return;
    const w = entry.data;
    const side = wordEl.getAttribute('data-wl-side');
    const i = Number(wordEl.getAttribute('data-wl-word'));
    const other = side === 'source' ? 'target' : 'source';
    wordEl.classList.add('wl-on');
    lit.push(wordEl);
    const partners = [];
    w.links.forEach((l) => {
      if ((side === 'source' ? l[0] : l[1]) === i) partners.push({ word: side === 'source' ? l[1] : l[0], score: l[2], how: l[3] });
    });
    const names = [];
    partners.forEach((p) => {
      const el = row.querySelector(`.wl[data-wl-side="${other}"][data-wl-word="${p.word}"]`);
      if (!el) return;
      el.classList.add('wl-partner');
      lit.push(el);
      names.push(`${el.textContent} (${p.how}, ${p.score})`);
      // The other words of this side that the partner translates too ("Russian Federation" ↔ 俄罗斯联邦).
      w.links.forEach((l) => {
        const mine = side === 'source' ? l[0] : l[1];
        if ((side === 'source' ? l[1] : l[0]) !== p.word || mine === i) return;
        const same = row.querySelector(`.wl[data-wl-side="${side}"][data-wl-word="${mine}"]`);
        if (same) {
          same.classList.add('wl-on');
          lit.push(same);
        }
      });
    });
    wordEl.title = names.length ? `↔ ${names.join(', ')}` : 'no counterpart found';
  }

  function init() {
    if (!document.querySelector('[data-bead]')) return;
    if (!document.querySelector('link[href="/public/word-links.css"]')) {
      const css = document.createElement('link');
      css.rel = 'stylesheet';
      css.href = '/public/word-links.css';
      document.head.appendChild(css);
    }
    document.addEventListener('mouseover', (e) => {
      const el = e.target.closest ? e.target.closest('.wl') : null;
      if (el) light(el);
    });
    document.addEventListener('mouseout', (e) => {
      if (e.target.closest?.('.wl') && !(e.relatedTarget?.closest?.('.wl'))) clear();
    });
    // The caret (caret browsing, a selection, an editable sentence) over a word lights it too.
    document.addEventListener('selectionchange', () => {
      const sel = document.getSelection();
      const node = sel?.rangeCount ? sel.anchorNode : null;
      let el = node ? (node.nodeType === 1 ? node : node.parentElement) : null;
      el = el?.closest ? el.closest('.wl') : null;
      if (el) light(el);
    });
    if (typeof IntersectionObserver === 'function') {
      sight = new IntersectionObserver(
        (entries) => {
          const fresh = [];
          for (const e of entries) {
            for (const row of rowsOf(e.target)) {
              if (e.isIntersecting) fresh.push(row);
              else near.delete(row);
            }
          }
          if (fresh.length) comeNear(fresh);
        },
        { rootMargin: '400px 0px' },
      );
    }
    // Rows the page puts in later (a change's rows, rows loaded again); not the words wrapped here.
    new MutationObserver((records) => {
      for (const m of records) {
        for (const n of m.addedNodes) {
          if (n.nodeType !== 1 || n.classList.contains('wl') || n.parentElement?.closest('[data-bead]')) continue;
          outermost(n).forEach(watch);
        }
      }
    }).observe(document.body, { childList: true, subtree: true });
    outermost(document.body).forEach(watch);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
