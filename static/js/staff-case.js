// The case page's map: the case's pin (works offline: tiles are optional).
(function () {
  "use strict";
  function init() {
    var el = document.getElementById("case-map");
    if (!el || typeof L === "undefined") return;
    var lat = parseFloat(el.getAttribute("data-lat"));
    var lon = parseFloat(el.getAttribute("data-lon"));
    if (isNaN(lat) || isNaN(lon)) return;
    var map = L.map(el, { scrollWheelZoom: false }).setView([lat, lon], 16);
    var tiles = el.getAttribute("data-tiles");
    if (tiles) L.tileLayer(tiles, { maxZoom: 19, attribution: el.getAttribute("data-attribution") || "" }).addTo(map);
    L.circleMarker([lat, lon], { radius: 9, color: "#08465d", weight: 3, fillColor: "#d97a00", fillOpacity: 0.9 })
      .addTo(map)
      .bindTooltip(el.getAttribute("data-label") || "");
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
