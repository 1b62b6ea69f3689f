/* Monitoring dashboard charts (ECharts), from the JSON embedded in the page. */
(function () {
  "use strict";
  var source = document.getElementById("monitor-data");
  if (!source || !window.echarts) { return; }
  var d = JSON.parse(source.textContent);
  function chart(kind, option) {
    var el = document.querySelector('[data-chart="' + kind + '"]');
    if (!el) { return; }
    var c = window.echarts.init(el);
    c.setOption(option);
    window.addEventListener("resize", function () { c.resize(); });
  }
  chart("trend", {
    tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 70, right: 50, top: 36, bottom: 30 },
    xAxis: { type: "category", data: d.trend.map(function (t) { return t.period; }) },
    yAxis: [{ type: "value", name: "万元" }, { type: "value", name: "%" }],
    series: [
      { name: "累计产值", type: "bar", data: d.trend.map(function (t) { return t.ytd; }), itemStyle: { color: "#1f4e9c" } },
      { name: "同比增长", type: "line", yAxisIndex: 1, data: d.trend.map(function (t) { return t.yoy === null ? null : Number(t.yoy.toFixed(1)); }), itemStyle: { color: "#d35400" } }
    ]
  });
  chart("groups", {
    tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 70, right: 50, top: 36, bottom: 60 },
    xAxis: { type: "category", data: d.groups.map(function (g) { return g.name; }), axisLabel: { rotate: 30 } },
    yAxis: [{ type: "value", name: "万元" }, { type: "value", name: "%" }],
    series: [
      { name: "累计产值", type: "bar", data: d.groups.map(function (g) { return g.ytd; }), itemStyle: { color: "#4c9be8" } },
      { name: "同比增长", type: "line", yAxisIndex: 1, data: d.groups.map(function (g) { return g.yoy === null ? null : Number(g.yoy.toFixed(1)); }), itemStyle: { color: "#c62828" } }
    ]
  });
  chart("scatter", {
    tooltip: { formatter: function (p) { return p.data[2] + "<br>占比 " + p.data[0].toFixed(1) + "%，增速 " + p.data[1].toFixed(1) + "%"; } },
    grid: { left: 60, right: 30, top: 20, bottom: 40 },
    xAxis: { type: "value", name: "占比(%)" }, yAxis: { type: "value", name: "同比(%)" },
    series: [{ type: "scatter", symbolSize: 14, itemStyle: { color: "#1f4e9c" },
      data: d.groups.filter(function (g) { return g.share !== null && g.yoy !== null; }).map(function (g) { return [g.share, g.yoy, g.name]; }),
      label: { show: true, position: "right", formatter: function (p) { return p.data[2]; } } }]
  });
})();
