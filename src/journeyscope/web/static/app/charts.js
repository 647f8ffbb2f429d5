// Draws each Vega-Lite spec the page embeds (<script type="application/json">) into the
// element whose data-spec names it, with the vendored vega-embed. The tables beside the
// charts carry the same figures, so without script nothing is lost.
// `ast: true` evaluates Vega expressions with vega-embed's bundled interpreter instead of
// `new Function`, so the pages' Content-Security-Policy needs no 'unsafe-eval';
// `defaultStyle: false` and the tooltip's `disableDefaultStyle` add no inline <style>
// (the policy allows none): the styles are in touchpoint.css.
(function () {
  "use strict";
  if (typeof vegaEmbed !== "function") return;
  document.querySelectorAll("[data-spec]").forEach(function (element) {
    var source = document.getElementById(element.dataset.spec);
    if (!source) return;
    var spec = JSON.parse(source.textContent);
    vegaEmbed(element, spec, {
      renderer: "svg",
      actions: false,
      ast: true,
      defaultStyle: false,
      tooltip: { disableDefaultStyle: true },
    }).then(function () {
      element.dataset.rendered = "true";
    }).catch(function (error) {
      element.dataset.failed = String(error);
    });
  });
})();
