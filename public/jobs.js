// The job page: polls the job (GET /api/jobs/:id), moves the progress bar, and lands on the result
// when the job is done (a document opens; a file is downloaded). Without this script the page
// reloads itself every 2 s and the server redirects a finished import to its document.
(() => {
  var box = document.getElementById('job');
  if (!box) return;
  var api = box.getAttribute('data-api');
  var bar = document.getElementById('job-progress');
  var pct = document.getElementById('job-percent');
  var msg = document.getElementById('job-message');
  var doneBox = document.getElementById('job-done');
  var landing = document.getElementById('job-landing');
  var cancel = document.getElementById('job-cancel');
  var delay = 250;

  function show(job) {
    bar.value = job.progress;
    bar.textContent = `${Math.round(job.progress * 100)}%`;
    pct.textContent = `${Math.round(job.progress * 100)}%`;
    msg.textContent = job.state === 'queued' ? 'Waiting for a worker…' : job.message;
    box.setAttribute('data-state', job.state);
    if (job.state === 'failed' || job.state === 'cancelled') msg.classList.add('errors');
    if (job.state !== 'queued' && job.state !== 'running' && cancel) cancel.remove();
  }

  function poll() {
    fetch(api, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then((r) => r.json())
      .then((job) => {
        show(job);
        var to = job.links.landing;
        if (job.state === 'done') {
          if (to) landing.setAttribute('href', to);
          if (job.kind === 'export') landing.textContent = 'Download the file again';
          doneBox.hidden = false;
          if (job.kind === 'export' && job.links.file) location.href = job.links.landing;
          else if (to) location.replace(to);
          return;
        }
        if (job.state === 'queued' || job.state === 'running') {
          delay = Math.min(delay * 1.5, 1000);
          setTimeout(poll, delay);
        }
      })
      .catch(() => setTimeout(poll, 2000));
  }

  var state = box.getAttribute('data-state');
  if (state === 'queued' || state === 'running') setTimeout(poll, delay);
})();
