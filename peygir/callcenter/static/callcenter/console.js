// The agent console: server-sent events pop the caller's 360° view; the category picker asks the
// knowledge base (and, when the insights app is there, the category suggester) for help.
// No inline scripts anywhere (Content-Security-Policy).
(function () {
  "use strict";

  var live = document.getElementById("console-live");
  if (!live || !window.EventSource) return;
  // The call panel is swapped whole; htmx's attribute settling would copy style="" onto the new
  // elements with the same ids, which the Content-Security-Policy (style-src 'self') refuses.
  if (window.htmx) htmx.config.attributesToSettle = ["class", "width", "height"];

  var panelBase = live.getAttribute("data-panel-url");
  var after = live.getAttribute("data-after") || "0";
  window.peygirConsole = { pops: [] };

  // Replaces the call panel with the server's current one, then calls done(). Never while the agent
  // is working in this call's forms (checked again when the answer arrives): what they chose or
  // wrote stays.
  function swapPanel(callId, eventAt, done) {
    function editing() {
      var current = document.getElementById("call-panel");
      return current && current.getAttribute("data-call") === callId && current.contains(document.activeElement);
    }
    if (!document.getElementById("call-panel") || !window.htmx || editing()) { done(); return; }
    fetch(panelBase + callId + "/", { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        var target = document.getElementById("call-panel");
        if (!html || !target || editing()) return;
        var holder = document.createElement("div");
        holder.innerHTML = html.trim();
        var fresh = holder.firstElementChild;
        if (!fresh) return;
        target.replaceWith(fresh);
        htmx.process(fresh);
        var shown = Date.now() / 1000;
        window.peygirConsole.pops.push({ call: callId, eventAt: eventAt, shownAt: shown, delayMs: Math.round((shown - eventAt) * 1000) });
        document.body.setAttribute("data-last-pop", callId);
      })
      .catch(function () { /* the next event or a reload shows the panel */ })
      .then(done);
  }

  function connect() {
    var source = new EventSource(live.getAttribute("data-events-url") + "?after=" + encodeURIComponent(after));
    function handle(kind) {
      source.addEventListener(kind, function (event) {
        after = event.lastEventId || after;
        var data = JSON.parse(event.data || "{}");
        var label = live.getAttribute("data-label-" + kind);
        // The status line changes once the panel it speaks of is on screen.
        function announce() { if (label) live.textContent = label; }
        if (data.call) swapPanel(data.call, data.at || 0, announce); else announce();
        if (kind === "state" && window.htmx) htmx.ajax("GET", window.location.pathname, { target: "#agent-state", select: "#agent-state", swap: "outerHTML" });
      });
    }
    ["ring", "answer", "hangup", "state"].forEach(handle);
    source.onopen = function () { document.body.setAttribute("data-sse", "open"); };
  }
  connect();

  // Category picked: suggested knowledge-base articles for it.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches("select[data-kb-url]") || !window.htmx) return;
    var target = document.getElementById("kb-suggestions");
    if (!target || !select.value) return;
    htmx.ajax("GET", select.getAttribute("data-kb-url") + "?category=" + encodeURIComponent(select.value), { target: "#kb-suggestions", swap: "innerHTML" });
  });

  // Optional: category suggestions from the insights app; silently nothing when it is absent.
  var suggestUrl = live.getAttribute("data-suggest-url");
  document.addEventListener("focusout", function (event) {
    var area = event.target;
    if (!suggestUrl || !area.matches || !area.matches("#register-form textarea[name=description]")) return;
    var text = area.value.trim();
    var hint = document.getElementById("category-suggestions");
    if (text.length < 10 || !hint || !window.fetch) return;
    fetch(suggestUrl + "?text=" + encodeURIComponent(text), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (!body || !body.suggestions || !body.suggestions.length) return;
        hint.textContent = "";
        body.suggestions.slice(0, 3).forEach(function (item) {
          var button = document.createElement("button");
          button.type = "button";
          button.className = "btn btn-small";
          button.textContent = item.name;
          button.addEventListener("click", function () {
            var select = document.getElementById("id_category");
            if (select) { select.value = item.code; select.dispatchEvent(new Event("change", { bubbles: true })); }
          });
          hint.appendChild(button);
        });
        hint.classList.remove("hidden");
      })
      .catch(function () { /* the suggester is optional */ });
  });
})();
