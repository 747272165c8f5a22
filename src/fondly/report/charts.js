// fondly: draws every chart of a page from the Vega-Lite specs embedded in it. Shared by the
// offline HTML report (inlined after the Vega bundle) and `fondly app` (served with it).
window.fondlyDrawCharts = function () {
  if (!window.vegaEmbed) { return; }
  var specs = document.querySelectorAll('script[type="application/json"][data-chart]');
  Array.prototype.forEach.call(specs, function (el) {
    var target = document.getElementById(el.getAttribute('data-chart'));
    if (!target) { return; }
    var spec = JSON.parse(el.textContent);
    window.vegaEmbed(target, spec, { actions: false, renderer: 'svg' }).catch(function (err) {
      target.textContent = 'This chart could not be drawn.';
      console.error('fondly chart ' + el.getAttribute('data-chart') + ': ' + err);
    });
  });
};
