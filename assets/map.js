// tocsin maps (Leaflet, vendored). An incident's map shows its point and the home areas that
// matched, and places an unplaced incident on click. A volunteer's map draws their home area
// (circle or polygon) into the form's hidden `area` field. The base map is tocsin's own (zones,
// streets, places); tiles from dashboard.tile_url are optional on top.
(function () {
  'use strict';

  // tocsin's own base map: zones as labelled outlines, streets (named on hover) and places,
  // fetched for the view from /map/features whenever it moves. Names are set as text.
  // `drawn` is told when what the view shows has been drawn (an answer for an earlier view,
  // arriving late, is dropped).
  function base(map, drawn) {
    var layer = L.geoJSON(null, {
      style: function (f) {
        return f.properties.kind === 'zone'
          ? { color: '#6b5b95', weight: 2, dashArray: '6 4', fill: false }
          : { color: '#8a8a8a', weight: 2 };
      },
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, { radius: 3, color: '#555', weight: 1, fillOpacity: 0.6 });
      },
      onEachFeature: function (f, l) {
        var label = document.createElement('span');
        label.textContent = f.properties.name || '';
        var kind = f.properties.kind;
        // Zones always carry their name; streets and places from zoom 16, else on hover.
        var shown = kind === 'zone' || map.getZoom() >= 16;
        l.bindTooltip(label, shown
          ? { permanent: true, direction: 'center', className: kind + '-label' }
          : { sticky: true });
      }
    }).addTo(map);
    layer.bringToBack();
    var timer = null;
    function view() {
      return '/map/features?bbox=' + encodeURIComponent(map.getBounds().toBBoxString()) + '&zoom=' + map.getZoom();
    }
    function load() {
      var url = view();
      fetch(url, { credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data || url !== view()) return;
          layer.clearLayers();
          layer.addData(data);
          layer.bringToBack();
          drawn();
        })
        .catch(function () { /* offline: what is drawn stays */ });
    }
    map.on('moveend', function () { clearTimeout(timer); timer = setTimeout(load, 200); });
    load();
  }

  var el = document.getElementById('map');
  if (!el || !window.L) return;

  var map = L.map(el, { zoomControl: true });
  // Tiles are optional (dashboard.tile_url); tocsin's own base map is drawn below either way.
  var tiles = el.getAttribute('data-tiles');
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: 19, attribution: el.getAttribute('data-attribution') || '' }).addTo(map);
  }
  var world = [34.05, -118.25];
  // A view first: circles can only measure their bounds on a map that has one.
  map.setView(world, 11);
  // `data-drawn` on the map says the base map is drawn for the view it settled on (the view
  // the page chose, or the network's home): tests and screenshots wait for it.
  var fitted = false, homeDone = false, drawnSinceMove = false;
  function settled() { if (drawnSinceMove && (fitted || homeDone)) el.setAttribute('data-drawn', ''); }
  map.on('movestart', function () { drawnSinceMove = false; el.removeAttribute('data-drawn'); });
  base(map, function () { drawnSinceMove = true; settled(); });
  var homeView = null;
  fetch('/map/home', { credentials: 'same-origin' })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (h) { homeView = h; if (h && !fitted) map.setView([h.lat, h.lon], h.zoom); })
    .catch(function () { /* the default view stays */ })
    .then(function () { homeDone = true; settled(); });

  function areaLayer(a, style) {
    if (!a || !a.type) return null;
    if (a.type === 'circle') return L.circle([a.lat, a.lon], Object.assign({ radius: a.radius_m }, style));
    var polys = a.type === 'Polygon' ? [a.coordinates] : a.type === 'MultiPolygon' ? a.coordinates : [];
    var latlngs = polys.map(function (p) {
      return p.map(function (ring) { return ring.map(function (c) { return [c[1], c[0]]; }); });
    });
    return latlngs.length ? L.polygon(latlngs, style) : null;
  }

  function fit(group, fallback) {
    if (group.getLayers().length) { fitted = true; map.fitBounds(group.getBounds().pad(0.15), { maxZoom: 16 }); }
    else if (fallback) { fitted = true; map.setView(fallback, 15); }
    else if (homeView) map.setView([homeView.lat, homeView.lon], homeView.zoom);
  }

  var areaStyle = { color: '#2f6f9f', weight: 1, fillOpacity: 0.08 };

  if (el.hasAttribute('data-map')) {
    var data = {};
    try { data = JSON.parse(el.getAttribute('data-map')); } catch (_) { /* empty map */ }
    var group = L.featureGroup().addTo(map);
    (data.areas || []).forEach(function (a) { var l = areaLayer(a, areaStyle); if (l) l.addTo(group); });
    var marker = null;
    function mark(latlng) {
      if (marker) marker.setLatLng(latlng);
      else marker = L.circleMarker(latlng, { radius: 9, color: '#fff', weight: 2, fillColor: '#c0262d', fillOpacity: 1 }).addTo(map);
    }
    if (data.point) { mark(data.point); group.addLayer(L.circleMarker(data.point, { radius: 1, opacity: 0 })); }
    fit(group, data.point);
    // The locate form (locate.js): a tap fills the field and its hidden lat/lon; a chosen
    // suggestion moves the marker here.
    var where = document.getElementById('where');
    var lat = document.getElementById('where-lat'), lon = document.getElementById('where-lon');
    if (data.placeable && where && lat && lon) {
      el.classList.add('placeable');
      map.on('click', function (e) {
        lat.value = e.latlng.lat.toFixed(6);
        lon.value = e.latlng.lng.toFixed(6);
        where.value = lat.value + ', ' + lon.value;
        mark(e.latlng);
        document.dispatchEvent(new CustomEvent('tocsin:picked', { detail: { lat: e.latlng.lat, lon: e.latlng.lng } }));
        var place = document.getElementById('place');
        if (place) place.focus();
      });
      document.addEventListener('tocsin:mark', function (e) {
        var ll = [e.detail.lat, e.detail.lon];
        mark(ll);
        map.setView(ll, Math.max(map.getZoom(), 16));
      });
    }
    return;
  }

  // Drawing a volunteer's home area.
  var areaInput = document.getElementById('area');
  var latIn = document.getElementById('area-lat'), lonIn = document.getElementById('area-lon');
  var radiusIn = document.getElementById('area-radius');
  var hint = document.getElementById('draw-hint');
  var tools = document.getElementById('draw-tools');
  if (tools) tools.hidden = false;
  var drawn = L.featureGroup().addTo(map);
  var mode = 'circle', vertices = [];

  function show(area) {
    drawn.clearLayers();
    var l = areaLayer(area, { color: '#c0262d', weight: 2, fillOpacity: 0.12 });
    if (l) l.addTo(drawn);
  }
  function write(area) { areaInput.value = area ? JSON.stringify(area) : ''; show(area); }
  function circleFromInputs() {
    var a = { type: 'circle', lat: parseFloat(latIn.value), lon: parseFloat(lonIn.value), radius_m: parseFloat(radiusIn.value) };
    if (isFinite(a.lat) && isFinite(a.lon) && isFinite(a.radius_m) && a.radius_m > 0) write(a);
  }
  function setMode(m) {
    mode = m; vertices = [];
    if (hint) hint.textContent = m === 'circle' ? 'Click the centre; set the radius in metres.' : 'Click each corner; three or more make the area.';
  }
  if (tools) tools.addEventListener('click', function (e) {
    var m = e.target.getAttribute && e.target.getAttribute('data-mode');
    if (!m) return;
    if (m === 'clear') { write(null); latIn.value = ''; lonIn.value = ''; setMode(mode); return; }
    setMode(m);
  });
  [latIn, lonIn, radiusIn].forEach(function (i) { i.addEventListener('input', function () { if (mode === 'circle') circleFromInputs(); }); });
  map.on('click', function (e) {
    if (mode === 'circle') {
      latIn.value = e.latlng.lat.toFixed(6);
      lonIn.value = e.latlng.lng.toFixed(6);
      if (!(parseFloat(radiusIn.value) > 0)) radiusIn.value = '1000';
      circleFromInputs();
    } else {
      vertices.push([Number(e.latlng.lng.toFixed(6)), Number(e.latlng.lat.toFixed(6))]);
      if (vertices.length >= 3) {
        write({ type: 'Polygon', coordinates: [vertices.concat([vertices[0]])] });
      } else {
        drawn.clearLayers();
        L.polyline(vertices.map(function (c) { return [c[1], c[0]]; }), { color: '#c0262d' }).addTo(drawn);
      }
    }
  });

  var current = null;
  try { current = JSON.parse(areaInput.value || el.getAttribute('data-area') || 'null'); } catch (_) { current = null; }
  setMode(current && current.type !== 'circle' ? 'polygon' : 'circle');
  vertices = [];
  show(current);
  fit(drawn, null);
})();
