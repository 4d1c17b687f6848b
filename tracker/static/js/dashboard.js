// The dashboard's charts, each drawn from the table that carries its figures (the
// Content-Security-Policy allows no inline script, and the table stays readable without it).
(function () {
  "use strict";
  var COLOURS = {
    draft: "#6c757d", submitted: "#0d6efd", resubmitted: "#6ea8fe", returned: "#fd7e14",
    accepted: "#198754", rejected: "#343a40", withdrawn: "#adb5bd", awarded: "#6f42c1",
    nominations: "#0d6efd", reports: "#198754"
  };

  function read(table) {
    var series = Array.prototype.map.call(table.querySelectorAll("thead th[data-series]"), function (th) {
      return { key: th.getAttribute("data-series"), label: th.textContent.trim(), index: th.cellIndex };
    });
    var labels = [];
    var values = series.map(function () { return []; });
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      if (!row.querySelector("[data-value]")) {
        return;
      }
      labels.push(row.cells[0].textContent.trim());
      series.forEach(function (s, i) {
        values[i].push(Number(row.cells[s.index].getAttribute("data-value")) || 0);
      });
    });
    return {
      labels: labels,
      datasets: series.map(function (s, i) {
        var colour = COLOURS[s.key] || "#0d6efd";
        return { label: s.label, data: values[i], backgroundColor: colour, borderColor: colour, tension: 0.2 };
      })
    };
  }

  function draw(table) {
    if (typeof Chart === "undefined") {
      return;
    }
    var data = read(table);
    var figure = table.closest("figure") || table.parentNode;
    if (!data.labels.length || !data.datasets.length) {
      return;
    }
    var horizontal = table.getAttribute("data-horizontal") === "true";
    var stacked = table.getAttribute("data-stacked") === "true";
    var box = document.createElement("div");
    box.className = "chart-box";
    if (horizontal) {
      box.style.height = Math.max(220, 26 * data.labels.length + 80) + "px";  // CSSOM: allowed by the CSP
    }
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", (figure.previousElementSibling || figure).textContent.trim());
    box.appendChild(canvas);
    figure.insertBefore(box, figure.firstChild);
    new Chart(canvas, {
      type: table.getAttribute("data-chart"),
      data: data,
      options: {
        locale: document.documentElement.lang || "vi",
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { stacked: stacked, beginAtZero: true }, y: { stacked: stacked, beginAtZero: true } },
        plugins: { legend: { position: "bottom" } }
      }
    });
    figure.setAttribute("data-chart-drawn", "true");
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-chart]"), draw);
  });
})();
