// tocsin: the locate field on an incident page. Suggests places as the dispatcher types
// (GET /fragments/places?q=, with the session), chosen by tap, click or keyboard (arrows,
// Enter, Escape); a choice or a tap on the map (map.js) fills the hidden lat/lon the form
// posts, and says what was chosen. Without this script the form still posts the words and
// the server reads them. Suggestions are built with textContent only: never markup.
(function () {
  'use strict';
  var input = document.getElementById('where');
  var list = document.getElementById('where-list');
  if (!input || !list || !window.fetch) return;
  var lat = document.getElementById('where-lat'), lon = document.getElementById('where-lon');
  var chosen = document.getElementById('where-chosen');
  var url = input.getAttribute('data-suggest');
  var timer = null, seq = 0, items = [], active = -1;

  function say(text) {
    chosen.textContent = text;
    chosen.hidden = !text;
  }
  function describe(m) {
    return [m.what, m.zone].filter(Boolean).join(' · ');
  }
  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }
  function highlight(i) {
    var options = list.querySelectorAll('[role=option]');
    active = i;
    for (var k = 0; k < options.length; k++) {
      options[k].classList.toggle('active', k === i);
      options[k].setAttribute('aria-selected', k === i ? 'true' : 'false');
    }
    if (options[i]) {
      input.setAttribute('aria-activedescendant', options[i].id);
      options[i].scrollIntoView({ block: 'nearest' });
    }
  }
  function show(matches, problem) {
    list.textContent = '';
    items = matches;
    active = -1;
    if (problem) {
      var p = document.createElement('li');
      p.className = 'problem';
      p.textContent = problem;
      list.appendChild(p);
    }
    matches.forEach(function (m, i) {
      var li = document.createElement('li');
      li.id = 'where-opt-' + i;
      li.setAttribute('role', 'option');
      li.className = 'suggestion' + (m.approximate ? ' rough' : '');
      var label = document.createElement('strong');
      label.textContent = m.label;
      var what = document.createElement('span');
      what.textContent = describe(m);
      li.appendChild(label);
      li.appendChild(what);
      // mousedown, not click: the field keeps its focus.
      li.addEventListener('mousedown', function (e) { e.preventDefault(); choose(i); });
      list.appendChild(li);
    });
    var open = list.children.length > 0;
    list.hidden = !open;
    input.setAttribute('aria-expanded', open ? 'true' : 'false');
  }
  function search() {
    var q = input.value.trim();
    var mine = ++seq;
    if (!q) { show([]); return; }
    fetch(url + '?q=' + encodeURIComponent(q), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : { matches: [] }; })
      .then(function (d) { if (mine === seq && document.activeElement === input) show(d.matches || [], d.problem); })
      .catch(function () { /* no suggestions; a plain submit still works */ });
  }
  function choose(i) {
    var m = items[i];
    if (!m) return;
    if (m.approximate) {
      // A whole street or a zone is no place to send people: ask for the corner.
      input.value = m.label + ' and ';
      lat.value = ''; lon.value = '';
      say('Only roughly known (' + describe(m) + '): add a cross street or a house number.');
      search();
      return;
    }
    input.value = m.label;
    lat.value = m.lat; lon.value = m.lon;
    say('Chosen: ' + m.label + ' — ' + describe(m));
    close();
    document.dispatchEvent(new CustomEvent('tocsin:mark', { detail: { lat: m.lat, lon: m.lon } }));
    var place = document.getElementById('place');
    if (place) place.focus();
  }

  input.addEventListener('input', function () {
    lat.value = ''; lon.value = '';
    say('');
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
  input.addEventListener('keydown', function (e) {
    var n = items.length;
    if (e.key === 'ArrowDown' && n) { e.preventDefault(); if (list.hidden) show(items); highlight((active + 1) % n); }
    else if (e.key === 'ArrowUp' && n) { e.preventDefault(); highlight(active <= 0 ? n - 1 : active - 1); }
    else if (e.key === 'Enter' && !list.hidden && active >= 0) { e.preventDefault(); choose(active); }
    else if (e.key === 'Escape') { close(); }
  });
  input.addEventListener('blur', function () { setTimeout(close, 150); });

  // A tap on the map (map.js) placed these coordinates: say what and where they are.
  document.addEventListener('tocsin:picked', function (e) {
    var q = e.detail.lat.toFixed(6) + ', ' + e.detail.lon.toFixed(6);
    say('Chosen: ' + q + ' — coordinates');
    fetch(url + '?q=' + encodeURIComponent(q), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : { matches: [] }; })
      .then(function (d) {
        var m = (d.matches || [])[0];
        if (m && lat.value === String(m.lat.toFixed(6))) say('Chosen: ' + q + ' — ' + describe(m));
      })
      .catch(function () {});
  });
})();
