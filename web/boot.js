// Classic script, loaded after the page's module: when the module did not
// load or failed to start (a missing file, a syntax error, an old browser),
// the page must not keep saying it is ready.
window.addEventListener('load', () => {
  if (document.body.dataset.app === 'ready') return;
  document.body.dataset.state = 'broken';
  const status = document.getElementById('status');
  if (status) status.textContent = 'The page could not start: its script (web/app.js) did not load, so nothing can be quantized here.';
  const error = document.getElementById('error');
  if (error) {
    error.textContent = 'The page\u2019s script did not load or failed to start. Reload the page; if this stays, check that the server serves /web/app.js and its modules (and that this browser supports JavaScript modules).';
    error.hidden = false;
  }
  for (const id of ['quantize-button', 'sample-button', 'file-input']) {
    const el = document.getElementById(id);
    if (el) el.disabled = true;
  }
});
