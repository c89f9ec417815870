// The measures' charts: each <canvas data-chart="ID"> is drawn from the JSON in <script id="ID"
// type="application/json"> (Django's json_script), with Chart.js (static/build/chart.umd.min.js, loaded
// before this module). No inline script or style: the content security policy allows neither. The
// same figures are in the table under each chart.
const PALETTE = ["#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#28a197", "#d53880", "#505a5f", "#b58840", "#912b88"];

function draw(canvas) {
  const source = document.getElementById(canvas.dataset.chart);
  if (!source || !window.Chart) return;
  const spec = JSON.parse(source.textContent);
  const stacked = spec.type === "stacked";
  const line = spec.type === "line";
  const datasets = spec.datasets.map((set, index) => ({
    ...set,
    backgroundColor: PALETTE[index % PALETTE.length],
    borderColor: PALETTE[index % PALETTE.length],
    borderWidth: line ? 3 : 0,
    pointRadius: line ? 3 : 0,
    spanGaps: false,
  }));
  const unit = spec.unit ? ` ${spec.unit}` : "";
  new window.Chart(canvas, {
    type: line ? "line" : "bar",
    data: { labels: spec.labels, datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { position: "bottom", labels: { color: "#0b0c0c" } } },
      scales: {
        x: { stacked, ticks: { color: "#0b0c0c" } },
        y: { stacked, beginAtZero: true, ticks: { color: "#0b0c0c", callback: (value) => `${value}${unit}` } },
      },
    },
  });
}

document.querySelectorAll("canvas[data-chart]").forEach(draw);
