// The wallboard refreshes itself through htmx polling ([data-poll] every 5 s); this only marks the time.
(function () {
  "use strict";
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail && event.detail.target && event.detail.target.id === "wallboard-panel") {
      document.body.setAttribute("data-wallboard-refreshed", String(Date.now()));
    }
  });
})();
