// The live dashboard's map: today's cases per h3 cell, shaded by count; reloaded every minute.
(function () {
  "use strict";
  var SHADES = ["#dbeafe", "#93c5fd", "#3b82f6", "#1d4ed8", "#1e3a8a"];

  function shade(count, max) {
    if (max <= 0) return SHADES[0];
    var step = Math.min(SHADES.length - 1, Math.floor((count / max) * SHADES.length - 1e-9));
    return SHADES[Math.max(0, step)];
  }

  function persianDigits(value) {
    return String(value).replace(/\d/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹"[d]; });
  }

  function init() {
    var el = document.getElementById("dashboard-map");
    if (!el || typeof L === "undefined") return;
    var map = L.map(el).setView([35.715, 51.40], 11);
    var tiles = el.getAttribute("data-tiles");
    if (tiles) L.tileLayer(tiles, { maxZoom: 19, attribution: el.getAttribute("data-attribution") || "" }).addTo(map);
    var label = el.getAttribute("data-label") || "";
    var layer = null;
    function load() {
      fetch(el.getAttribute("data-hotspots"), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (data) {
          var max = data.max_count || 0;
          if (layer) map.removeLayer(layer);
          layer = L.geoJSON(data, {
            style: function (f) { return { color: "#1e3a8a", weight: 1, fillColor: shade(f.properties.count, max), fillOpacity: 0.55 }; },
            onEachFeature: function (f, polygon) { polygon.bindTooltip(persianDigits(f.properties.count) + " " + label); }
          }).addTo(map);
        })
        .catch(function () { /* the next reload tries again */ });
    }
    load();
    window.setInterval(load, 60000);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
