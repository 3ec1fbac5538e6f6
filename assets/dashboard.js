// tocsin dashboard: keeps the page live. The server's /events stream says what changed (ids
// and scopes only); each element with data-fragment is refetched when the change concerns it.
// The fragments are HTML rendered and escaped by the server. No framework, no inline script.
(function () {
  'use strict';

  var status = document.getElementById('live-status');
  var fragments = Array.prototype.slice.call(document.querySelectorAll('[data-fragment]'));
  var pending = new Map();

  function setStatus(text, cls) {
    if (!status) return;
    status.textContent = text;
    status.className = 'live-status ' + cls;
  }

  function concerns(el, change) {
    var scope = el.getAttribute('data-scope') || '';
    if (change.scope === 'all') return true;
    if (scope === 'queue') return change.scope !== 'volunteers';
    var m = /^incident:(\d+)$/.exec(scope);
    if (!m) return false;
    var id = Number(m[1]);
    return change.scope === 'deliveries' ||
      (change.scope === 'incident' && change.id === id) ||
      (change.scope === 'report' && change.incident === id);
  }

  function refresh(el) {
    fetch(el.getAttribute('data-fragment'), { credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) {
        if (r.status === 401) { window.location.href = '/login'; return null; }
        return r.ok ? r.text() : null;
      })
      .then(function (html) {
        if (html === null) return;
        el.innerHTML = html;
        el.setAttribute('data-refreshed', String(Date.now()));
      })
      .catch(function () { /* offline: the next change or the periodic refresh retries */ });
  }

  // Several changes in a burst (an alert to 200 people) cost one fetch.
  function schedule(el) {
    if (pending.has(el)) return;
    pending.set(el, setTimeout(function () { pending.delete(el); refresh(el); }, 250));
  }

  if (fragments.length && window.EventSource) {
    var source = new EventSource('/events');
    source.addEventListener('open', function () {
      setStatus('live', 'on');
      // Whatever changed while disconnected.
      fragments.forEach(schedule);
    });
    source.addEventListener('error', function () { setStatus('reconnecting…', 'off'); });
    source.addEventListener('change', function (e) {
      var change;
      try { change = JSON.parse(e.data); } catch (_) { return; }
      fragments.forEach(function (el) { if (concerns(el, change)) schedule(el); });
    });
    // Ages ("3 min ago") move on even when nothing happens.
    setInterval(function () { fragments.forEach(schedule); }, 60000);
    // A page left for another closes its stream: a browser kept in the back/forward cache
    // would otherwise hold the connection, and a few such pages use up the six a browser
    // opens to one server, so the next page waits. Shown again from that cache, it reloads.
    window.addEventListener('pagehide', function () { source.close(); });
    window.addEventListener('pageshow', function (e) { if (e.persisted) window.location.reload(); });
  } else if (status) {
    status.hidden = true;
  }
})();

// Attention (issue 14): the tab's title counts the incidents waiting for a dispatcher; a new one
// can ring a short sound and show a browser notification (its number only: lock screens are
// seen by others). Permission is asked once, on a click, and nothing waits for it.
(function () {
  'use strict';
  var box = document.getElementById('attention');
  var queue = document.getElementById('queue');
  if (!box || !queue) return;
  var base = document.title.replace(/^\(\d+\)\s*/, '');
  var sound = document.getElementById('attend-sound');
  var notify = document.getElementById('attend-notify');
  var seen = null;
  box.hidden = false;
  try { sound.checked = window.localStorage.getItem('tocsin.sound') === '1'; } catch (_) { /* private mode */ }
  sound.addEventListener('change', function () {
    try { window.localStorage.setItem('tocsin.sound', sound.checked ? '1' : '0'); } catch (_) { /* private mode */ }
  });

  function notifications() { return 'Notification' in window; }
  function askable() { notify.hidden = !notifications() || Notification.permission !== 'default'; }
  askable();
  notify.addEventListener('click', function () {
    var asked = Notification.requestPermission(askable);
    if (asked && asked.then) asked.then(askable, askable);
  });

  function beep() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    try {
      var ctx = new Context();
      var tone = ctx.createOscillator();
      var gain = ctx.createGain();
      tone.frequency.value = 880;
      gain.gain.value = 0.1;
      tone.connect(gain);
      gain.connect(ctx.destination);
      tone.start();
      tone.stop(ctx.currentTime + 0.3);
    } catch (_) { /* no audio: the title still counts */ }
  }

  function check() {
    var head = document.getElementById('waiting');
    if (!head) return;
    var n = Number(head.getAttribute('data-waiting')) || 0;
    document.title = (n > 0 ? '(' + n + ') ' : '') + base;
    var ids = (head.getAttribute('data-ids') || '').split(',').filter(Boolean);
    if (seen !== null) {
      var fresh = ids.filter(function (id) { return seen.indexOf(id) < 0; });
      if (fresh.length && sound.checked) beep();
      if (fresh.length && notifications() && Notification.permission === 'granted') {
        fresh.forEach(function (id) {
          try { new Notification('tocsin #' + id + ' needs a dispatcher', { tag: 'tocsin-' + id }); } catch (_) { /* unsupported */ }
        });
      }
    }
    seen = ids;
  }
  check();
  new MutationObserver(check).observe(queue, { childList: true });
})();

// No accidental broadcast (issue 15): a form that texts people (data-confirm) first shows a
// dialog with how many people and on which channels, counted by the server. Without this
// script the server asks on a page of its own; either way nothing is sent before `confirm=yes`.
(function () {
  'use strict';
  var dialog = document.getElementById('confirm-dialog');
  if (!dialog || typeof dialog.showModal !== 'function') return;
  var title = document.getElementById('confirm-dialog-title');
  var question = document.getElementById('confirm-dialog-question');
  var audience = document.getElementById('confirm-dialog-audience');
  var lines = document.getElementById('confirm-dialog-lines');
  var yes = document.getElementById('confirm-dialog-yes');

  // An update's lines: per language read, its size and the exact text (textContent only).
  function showLines(languages) {
    if (!lines) return;
    lines.textContent = '';
    (languages || []).forEach(function (l) {
      var item = document.createElement('li');
      var head = document.createElement('strong');
      head.textContent = l.head;
      if (l.costly) head.className = 'costly';
      var body = document.createElement('blockquote');
      body.className = 'confirm-text';
      body.textContent = l.body;
      item.appendChild(head);
      item.appendChild(body);
      lines.appendChild(item);
    });
  }
  var pending = null;
  document.addEventListener('submit', function (e) {
    var form = e.target;
    var action = form.getAttribute && form.getAttribute('data-confirm');
    if (!action || form.querySelector('input[name="confirm"]')) return;
    e.preventDefault();
    // Placing and merging are counted for the place or the incident the form names.
    var url = form.getAttribute('action').replace(/\/(act|locate)$/, '/headcount') + '?action=' + encodeURIComponent(action);
    ['where', 'lat', 'lon', 'other'].forEach(function (name) {
      var field = form.querySelector('[name="' + name + '"]');
      if (field && field.value) url += '&' + name + '=' + encodeURIComponent(field.value);
    });
    // An update is measured with its text (compose.js's endpoint); the others are counted.
    var preview = form.getAttribute('data-preview');
    var asking = preview
      ? fetch(preview, { method: 'POST', credentials: 'same-origin', cache: 'no-store', body: new URLSearchParams(new FormData(form)) })
      : fetch(url, { credentials: 'same-origin', cache: 'no-store' });
    asking
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (words) {
        // The server asks on its page instead, or refuses naming the field.
        if (!words || words.error) { form.submit(); return; }
        title.textContent = words.title;
        question.textContent = words.question;
        if (audience) audience.textContent = words.audience ? 'Read by: ' + words.audience : '';
        showLines(words.languages);
        yes.textContent = words.button || 'Yes, send it';
        yes.className = words['class'] || 'primary';
        pending = form;
        dialog.returnValue = '';
        dialog.showModal();
      })
      .catch(function () { form.submit(); });
  }, true);
  dialog.addEventListener('close', function () {
    var form = pending;
    pending = null;
    if (!form || dialog.returnValue !== 'yes') return;
    var confirmed = document.createElement('input');
    confirmed.type = 'hidden'; confirmed.name = 'confirm'; confirmed.value = 'yes';
    form.appendChild(confirmed);
    form.submit();
  });
})();
