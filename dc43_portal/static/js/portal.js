/* The portal's htmx glue, in a static file (no inline script): a fresh CSRF token after the server
   refused a stale one, focus on the panel htmx just swapped, and a notice when the server or network fails. */
(function () {
  "use strict";

  // The server sends the current token with the "csrf-token" event: the next press uses it.
  document.addEventListener("csrf-token", function (event) {
    var token = event.detail && event.detail.value;
    if (!token) return;
    document.body.setAttribute("hx-headers", JSON.stringify({ "X-CSRFToken": token }));
    document.querySelectorAll('input[name="csrfmiddlewaretoken"]').forEach(function (input) { input.value = token; });
  });

  // After a swap, a panel marked data-swap-focus takes the focus: on its message if it has one, else its
  // heading. The target's id rides on the request, since other swaps (the queue badge) may settle between.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (event.detail.xhr && target && target.id) event.detail.xhr.portalSwapId = target.id;
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var id = event.detail.xhr && event.detail.xhr.portalSwapId;
    var target = id && document.getElementById(id);
    var panel = target && (target.closest("[data-swap-focus]") || target.querySelector("[data-swap-focus]"));
    if (!panel) return;
    var spot = panel.querySelector('[role="alert"], [role="status"]') || panel.querySelector("h2, h3");
    if (!spot) return;
    if (!spot.hasAttribute("tabindex")) spot.setAttribute("tabindex", "-1");
    spot.focus();
  });

  // A table wider than its box scrolls inside it: make it focusable so the keyboard can scroll it too.
  function focusableScrollers(root) {
    root.querySelectorAll("main table").forEach(function (table) {
      if (table.scrollWidth > table.clientWidth + 1 && !table.hasAttribute("tabindex")) table.setAttribute("tabindex", "0");
    });
  }
  document.addEventListener("DOMContentLoaded", function () { focusableScrollers(document); });
  window.addEventListener("resize", function () { focusableScrollers(document); });
  document.addEventListener("htmx:afterSettle", function () { focusableScrollers(document); });

  function notice(text) {
    var region = document.getElementById("htmx-alert");
    if (!region) return;
    var box = document.createElement("p");
    box.className = "message error";
    box.setAttribute("role", "alert");
    box.textContent = text;
    region.replaceChildren(box);
    box.setAttribute("tabindex", "-1");
    box.focus();
  }
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    notice("The portal could not do that (error " + status + "). Nothing you typed was lost: try again, or reload the page.");
  });
  document.addEventListener("htmx:sendError", function () {
    notice("The portal cannot be reached. Nothing you typed was lost: try again when the connection is back.");
  });
})();
