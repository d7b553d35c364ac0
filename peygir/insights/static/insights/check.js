// The register page's pre-submit check (progressive enhancement): when the citizen has written a
// description or placed the pin, ask /insights/check/ for possible duplicates nearby and, when the
// text reads like a corruption report, the integrity-channel offer. Without JS nothing changes.
(function () {
  "use strict";
  var box = document.getElementById("insights-check");
  if (!box) return;
  var form = box.closest("form");
  if (!form) return;
  var url = box.getAttribute("data-url");
  var timer = null;
  var last = "";

  function value(name) {
    var field = form.querySelector('[name="' + name + '"]');
    if (!field) return "";
    if (field.type === "radio") {
      var checked = form.querySelector('[name="' + name + '"]:checked');
      return checked ? checked.value : "";
    }
    return field.value || "";
  }

  function check() {
    var description = value("description").trim();
    if (description.length < 10) { box.innerHTML = ""; last = ""; return; }
    var params = new URLSearchParams();
    params.set("description", description);
    var category = value("category");
    if (category) params.set("category", category);
    var lat = value("lat"), lon = value("lon");
    if (lat && lon) { params.set("lat", lat); params.set("lon", lon); }
    var query = params.toString();
    if (query === last) return;
    last = query;
    fetch(url + "?" + query, { headers: { "Accept": "text/html" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) { box.innerHTML = html; })
      .catch(function () { /* the check is a courtesy: registration works without it */ });
  }

  function later() {
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(check, 700);
  }

  form.addEventListener("input", function (event) {
    if (event.target && event.target.name === "description") later();
  });
  form.addEventListener("change", later);
  // The map writes lat/lon into hidden inputs without events: look again now and then while typing.
  window.setInterval(function () { if (value("description").trim().length >= 10) check(); }, 4000);
})();
