/* Charts from the page's own data: <div class="chart" data-chart="ID"> draws the ECharts option in
   <script type="application/json" id="ID"> (json_script). A data item with a `url` is a link. */
(function () {
  "use strict";
  function draw() {
    if (!window.echarts) return;
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.chart);
      if (!source || el.dataset.drawn) return;
      var option = JSON.parse(source.textContent);
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(option);
      chart.on("click", function (params) {
        if (params.data && params.data.url) window.location.href = params.data.url;
      });
      el.dataset.drawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
})();
