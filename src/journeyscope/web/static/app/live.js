// Live parts of a signed-in page (web/pages/live.py): htmx swaps a part only when it changed;
// this keeps what the reader had open, where they had scrolled and what had focus across the
// swap, so the page does not jump. Without script the page is the plain page.
(function () {
  "use strict";
  var FOCUSABLE = "a[href], summary, button, input, select, textarea, [tabindex]";
  var kept = {};

  function indexes(part, selector, test) {
    var found = [];
    part.querySelectorAll(selector).forEach(function (el, i) {
      if (test(el)) found.push(i);
    });
    return found;
  }

  function remember(part) {
    var scrolls = [];
    part.querySelectorAll(".map-scroll").forEach(function (el) {
      scrolls.push([el.scrollLeft, el.scrollTop]);
    });
    var focused = -1;
    part.querySelectorAll(FOCUSABLE).forEach(function (el, i) {
      if (el === document.activeElement) focused = i;
    });
    kept[part.id] = {
      open: indexes(part, "details", function (el) { return el.open; }),
      scrolls: scrolls,
      focused: focused,
      pageY: window.scrollY
    };
  }

  function restore(id) {
    var part = document.getElementById(id);
    var state = kept[id];
    if (!part || !state) return;
    delete kept[id];
    var details = part.querySelectorAll("details");
    state.open.forEach(function (i) { if (details[i]) details[i].open = true; });
    part.querySelectorAll(".map-scroll").forEach(function (el, i) {
      if (state.scrolls[i]) { el.scrollLeft = state.scrolls[i][0]; el.scrollTop = state.scrolls[i][1]; }
    });
    if (state.focused >= 0) {
      var target = part.querySelectorAll(FOCUSABLE)[state.focused];
      if (target) target.focus({ preventScroll: true });
    }
    if (window.scrollY !== state.pageY) window.scrollTo(window.scrollX, state.pageY);
    part.dataset.updatedAt = String(Date.now());
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var part = event.detail.target;
    if (part && part.classList && part.classList.contains("live")) remember(part);
  });
  document.addEventListener("htmx:afterSwap", function () {  // same task as the swap: no frame without them
    Object.keys(kept).forEach(restore);
  });
})();
