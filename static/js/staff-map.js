// The supervisors' map: h3 hotspots shaded by how many open cases they hold, and recent case pins.
(function () {
  "use strict";
  var SHADES = ["#fde6c8", "#f9c183", "#f0963e", "#d4611a", "#a33a0a"];

  function shade(count, max) {
    if (max <= 0) return SHADES[0];
    var step = Math.min(SHADES.length - 1, Math.floor((count / max) * SHADES.length - 1e-9));
    return SHADES[Math.max(0, step)];
  }

  function persianDigits(value) {
    var lang = document.documentElement.lang || "fa";
    var text = String(value);
    return lang.indexOf("fa") === 0 ? text.replace(/\d/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹"[d]; }) : text;
  }

  function init() {
    var el = document.getElementById("cases-map");
    if (!el || typeof L === "undefined") return;
    var status = document.getElementById("map-status");
    if (status) status.textContent = status.getAttribute("data-loading");
    var map = L.map(el).setView([35.715, 51.40], 11);
    var tiles = el.getAttribute("data-tiles");
    if (tiles) L.tileLayer(tiles, { maxZoom: 19, attribution: el.getAttribute("data-attribution") || "" }).addTo(map);
    var hotspotLabel = el.getAttribute("data-hotspot-label");
    var openLabel = el.getAttribute("data-open-label");

    var load = function (url) {
      return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      });
    };

    Promise.all([load(el.getAttribute("data-hotspots")), load(el.getAttribute("data-pins"))]).then(function (data) {
      var hotspots = data[0], pins = data[1].pins || [];
      var max = hotspots.max_count || 0;
      var layer = L.geoJSON(hotspots, {
        style: function (feature) {
          return { color: "#7a3b0a", weight: 1, fillColor: shade(feature.properties.count, max), fillOpacity: 0.55 };
        },
        onEachFeature: function (feature, polygon) {
          polygon.bindTooltip(persianDigits(feature.properties.count) + " " + hotspotLabel);
        }
      }).addTo(map);
      var group = L.featureGroup();
      pins.forEach(function (pin) {
        var marker = L.circleMarker([pin.lat, pin.lon], {
          radius: 5, weight: 1, color: "#ffffff",
          fillColor: pin.overdue ? "#b3261e" : "#0b5c7a", fillOpacity: 0.95
        });
        var box = document.createElement("div");
        var strong = document.createElement("strong");
        strong.textContent = persianDigits(pin.code);
        strong.dir = "ltr";
        var line = document.createElement("div");
        line.textContent = pin.category + " · " + pin.phase;
        var link = document.createElement("a");
        link.href = pin.url;
        link.textContent = openLabel;
        box.appendChild(strong);
        box.appendChild(line);
        box.appendChild(link);
        marker.bindPopup(box);
        group.addLayer(marker);
      });
      group.addTo(map);
      var bounds = layer.getBounds();
      if (group.getLayers().length) bounds = bounds.isValid() ? bounds.extend(group.getBounds()) : group.getBounds();
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 15 });
      var range = document.getElementById("legend-range");
      if (range) range.textContent = persianDigits(1) + " – " + persianDigits(max);
      if (status) {
        status.textContent = status.getAttribute("data-summary")
          .replace("%(cells)s", persianDigits(hotspots.features.length))
          .replace("%(pins)s", persianDigits(pins.length));
      }
    }).catch(function () {
      if (status) status.textContent = status.getAttribute("data-failed");
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
