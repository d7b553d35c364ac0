// Citizen portal behaviours (no inline scripts: Content-Security-Policy). Everything here is an
// enhancement: the server checks the same things and the forms work without JavaScript.
(function () {
  "use strict";

  // Photos: say at once when more than the allowed number were chosen.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-max-files]")) return;
    var max = parseInt(input.getAttribute("data-max-files"), 10);
    var box = document.getElementById("photos-count-error");
    var tooMany = input.files && input.files.length > max;
    input.setCustomValidity(tooMany ? input.getAttribute("data-too-many") : "");
    if (box) {
      box.textContent = tooMany ? input.getAttribute("data-too-many") : "";
      box.classList.toggle("hidden", !tooMany);
    }
  });

  // Anonymity: only where the chosen category allows it; when chosen, name and phone are not sent.
  function syncAnonymous() {
    var box = document.getElementById("id_anonymous");
    if (!box) return;
    var chosen = document.querySelector("#category-list input[type=radio]:checked");
    var allowed = !chosen || chosen.getAttribute("data-anonymous") === "1";
    var note = document.getElementById("anonymous-not-allowed");
    var help = document.getElementById("anonymous-help");
    if (!allowed) box.checked = false;
    box.disabled = !allowed;
    if (note) note.classList.toggle("hidden", allowed);
    if (help) help.classList.toggle("hidden", !allowed);
    var contact = document.getElementById("contact-fields");
    if (contact) {
      contact.classList.toggle("hidden", box.checked);
      contact.querySelectorAll("input").forEach(function (input) { input.disabled = box.checked; });
    }
  }
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.id === "id_anonymous" || (target.closest && target.closest("#category-list"))) syncAnonymous();
  });

  // Category search: say so when nothing matches (the filtering itself is peygir.js's data-filter).
  document.addEventListener("input", function (event) {
    if (event.target.id !== "category-search") return;
    var none = document.getElementById("category-none");
    if (!none) return;
    var visible = document.querySelectorAll("#category-list .category-option:not(.hidden)").length;
    none.classList.toggle("hidden", visible > 0);
  });

  document.addEventListener("DOMContentLoaded", syncAnonymous);
})();
