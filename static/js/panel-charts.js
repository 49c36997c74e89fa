// Draws the secretariat's charts: each canvas names the JSON element that holds its data
// (written by the server with json_script), so that no script is inline.
(function () {
  "use strict";
  function draw() {
    if (typeof window.Chart === "undefined") {
      return;
    }
    var locale = document.documentElement.lang || "en";
    var canvases = document.querySelectorAll("canvas[data-chart-source]");
    Array.prototype.forEach.call(canvases, function (canvas) {
      var source = document.getElementById(canvas.getAttribute("data-chart-source"));
      if (!source) {
        return;
      }
      var data = JSON.parse(source.textContent);
      new window.Chart(canvas, {
        type: data.type,
        data: { labels: data.labels, datasets: data.datasets },
        options: {
          locale: locale,
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          plugins: { legend: { position: "bottom" } },
          scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
        }
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
