/* Renders the ECharts cards of a page from data embedded with json_script. */
(function () {
  "use strict";
  var palette = ["#1a7f37", "#1f4e9c", "#4c9be8", "#c62828", "#9aa4b2", "#b26a00"];
  function data(el) { return JSON.parse(document.getElementById(el.dataset.source).textContent); }
  var builders = {
    pie: function (d, key) {
      return { color: palette, tooltip: { trigger: "item", formatter: "{b}：{c}项（{d}%）" },
        legend: { bottom: 0 }, series: [{ type: "pie", radius: ["40%", "70%"], data: d[key],
          label: { formatter: "{b}\n{c}项" } }] };
    },
    bar: function (d, key) {
      return { color: ["#1f4e9c"], tooltip: {}, grid: { left: 60, right: 20, bottom: 40 },
        xAxis: { type: "category", data: d[key].map(function (x) { return x.name; }) },
        yAxis: { type: "value", name: "项", minInterval: 1 },
        series: [{ type: "bar", data: d[key].map(function (x) { return x.value; }), barMaxWidth: 36 }] };
    },
    series: function (d) {
      return { tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 70, right: 50, top: 36, bottom: 30 },
        xAxis: { type: "category", data: d.periods },
        yAxis: [{ type: "value", name: "万元" }, { type: "value", name: "%" }],
        series: [
          { name: "累计产值", type: "bar", data: d.output, itemStyle: { color: "#1f4e9c" } },
          { name: "上年同期", type: "bar", data: d.output_prior, itemStyle: { color: "#9aa4b2" } },
          { name: "同比增长", type: "line", yAxisIndex: 1, data: d.yoy, itemStyle: { color: "#d35400" } }
        ] };
    },
    stacked: function (d) {
      return { color: palette, tooltip: { trigger: "axis" }, legend: { top: 0 },
        grid: { left: 150, right: 20, top: 36, bottom: 20 },
        yAxis: { type: "category", data: d.units, inverse: true },
        xAxis: { type: "value", name: "项", minInterval: 1 },
        series: d.unit_series.map(function (s) { return { name: s.name, type: "bar", stack: "all", data: s.data }; }) };
    }
  };
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    if (!window.echarts) { el.textContent = "图表组件未加载"; return; }
    var chart = window.echarts.init(el);
    chart.setOption(builders[el.dataset.chart](data(el), el.dataset.key));
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
