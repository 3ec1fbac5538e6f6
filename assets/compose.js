// tocsin update composer (issue 15): as the dispatcher types, the server measures the whole
// message each language's readers will get (prefix and all, folded to GSM-7 where it can be)
// and this shows "1 SMS segment · GSM-7" or "2 segments · UCS-2 (costs more)" under each
// field. Text from the server goes in with textContent only. Nothing is sent from here.
(function () {
  'use strict';
  var forms = document.querySelectorAll('form[data-composer]');
  Array.prototype.forEach.call(forms, function (form) {
    var url = form.getAttribute('data-preview');
    var timer = null;
    var asked = 0;

    function show(words) {
      var fields = words.fields || {};
      Object.keys(fields).forEach(function (code) {
        var line = form.querySelector('[data-size="' + code + '"]');
        if (!line) return;
        line.textContent = fields[code].line;
        line.classList.toggle('costly', !!fields[code].costly);
      });
      var audience = form.querySelector('[id$="-audience"]');
      if (audience && words.audience) audience.textContent = 'Read by: ' + words.audience;
      form.setAttribute('data-measured', String(asked));
    }

    function measure() {
      var n = ++asked;
      fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        cache: 'no-store',
        body: new URLSearchParams(new FormData(form))
      })
        .then(function (r) {
          if (r.status === 401) { window.location.href = '/login'; return null; }
          return r.ok ? r.json() : null;
        })
        .then(function (words) { if (words && n === asked) show(words); }) // a later answer wins
        .catch(function () { /* offline: the confirmation still says it */ });
    }

    // One request per pause in typing, not per key.
    form.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(measure, 300);
    });
    // Text the browser kept (back button): measure it at once.
    var typed = Array.prototype.some.call(form.querySelectorAll('textarea'), function (t) { return t.value.trim() !== ''; });
    if (typed) measure();
  });
})();
