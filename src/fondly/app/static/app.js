// fondly app: draws the charts, lets files be dropped onto the import form, asks before
// forgetting. Loaded from the app itself; the page's CSP allows no other script.
(function () {
  'use strict';

  function dropFiles() {
    var drop = document.getElementById('drop');
    var input = document.getElementById('files');
    var form = document.getElementById('import-form');
    if (!drop || !input || !form) { return; }
    ['dragenter', 'dragover'].forEach(function (name) {
      drop.addEventListener(name, function (e) { e.preventDefault(); drop.classList.add('over'); });
    });
    ['dragleave', 'drop'].forEach(function (name) {
      drop.addEventListener(name, function () { drop.classList.remove('over'); });
    });
    drop.addEventListener('drop', function (e) {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        form.requestSubmit();
      }
    });
    form.addEventListener('submit', function (e) {
      var busy = document.getElementById('busy');
      if (busy) { busy.hidden = false; }
      if (!window.fetch || !window.FormData) { return; }  // the plain form still works
      e.preventDefault();
      var button = form.querySelector('button[type=submit]');
      if (button) { button.disabled = true; }
      fetch('/import', { method: 'POST', body: new FormData(form), headers: { 'X-Fondly-Async': '1' } })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (answer) { poll(answer.job, busy); })
        .catch(function () { form.submit(); });
    });
  }

  function poll(job, busy) {
    fetch('/import/job/' + encodeURIComponent(job)).then(function (r) { return r.json(); })
      .then(function (state) {
        if (state.done) {
          window.location.assign('/import/job/' + encodeURIComponent(job) + '/result');
          return;
        }
        if (busy) {
          busy.textContent = 'Importing: ' + state.read.toLocaleString() + ' messages read...';
        }
        window.setTimeout(function () { poll(job, busy); }, 400);
      });
  }

  function confirmForget() {
    Array.prototype.forEach.call(document.querySelectorAll('button.danger'), function (button) {
      button.form.addEventListener('submit', function (e) {
        if (!window.confirm(button.getAttribute('aria-label') + '? This cannot be undone.')) {
          e.preventDefault();
        }
      });
    });
  }

  if (window.fondlyDrawCharts) { window.fondlyDrawCharts(); }
  dropFiles();
  confirmForget();
})();
