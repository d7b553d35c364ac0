// The register page's location picker: a click or a drag places one pin that fills the hidden
// lat/lon inputs; "my location" asks the browser. Works without tiles (offline): the pin is what counts.
(function () {
  "use strict";

  var TEHRAN = [35.6997, 51.3380];

  function init() {
    var el = document.getElementById("location-map");
    if (!el || !window.L) return;
    var latInput = document.getElementById(el.getAttribute("data-lat-input"));
    var lonInput = document.getElementById(el.getAttribute("data-lon-input"));
    var status = document.getElementById("map-status");
    var locate = document.getElementById("locate-me");
    var clear = document.getElementById("clear-pin");
    var map = L.map(el, { center: TEHRAN, zoom: 11, scrollWheelZoom: false });
    var tiles = el.getAttribute("data-tile-url");
    if (tiles) {
      L.tileLayer(tiles, { attribution: el.getAttribute("data-attribution") || "", maxZoom: 19 }).addTo(map);
    }
    var marker = null;

    function say(key) {
      if (status) status.textContent = el.getAttribute(key) || "";
    }

    function write(latlng) {
      latInput.value = latlng.lat.toFixed(6);
      lonInput.value = latlng.lng.toFixed(6);
      if (clear) clear.hidden = false;
      say("data-placed");
    }

    function place(latlng, zoom) {
      if (!marker) {
        marker = L.marker(latlng, { draggable: true, keyboard: true, title: el.getAttribute("data-marker-title") || "" });
        marker.on("dragend", function () { write(marker.getLatLng()); });
        marker.addTo(map);
      } else {
        marker.setLatLng(latlng);
      }
      write(latlng);
      if (zoom) map.setView(latlng, zoom);
    }

    map.on("click", function (event) { place(event.latlng); });

    if (latInput.value && lonInput.value) {
      place(L.latLng(parseFloat(latInput.value), parseFloat(lonInput.value)), 16);
    }

    if (clear) {
      clear.addEventListener("click", function () {
        if (marker) { map.removeLayer(marker); marker = null; }
        latInput.value = "";
        lonInput.value = "";
        clear.hidden = true;
        say("data-cleared");
      });
    }

    if (locate && navigator.geolocation) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        say("data-locating");
        navigator.geolocation.getCurrentPosition(
          function (position) { place(L.latLng(position.coords.latitude, position.coords.longitude), 16); },
          function () { say("data-geo-error"); },
          { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 }
        );
      });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
