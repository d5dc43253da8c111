// The micro-entrepreneur's cockpit: draws the turnover charts as plain SVG.
// The figures come from the page itself (script#micro-chart-data), so the
// module fetches nothing and works offline.

const SVG = "http://www.w3.org/2000/svg";
const MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.",
  "août", "sept.", "oct.", "nov.", "déc."];
const money = new Intl.NumberFormat("fr-FR", {
  style: "currency", currency: "EUR", maximumFractionDigits: 0,
});

function el(name, attrs, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) {
    node.setAttribute(key, String(value));
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

function titled(node, text) {
  node.appendChild(el("title", {}, text));
  return node;
}

// Vertical bars, one per month.
function columns(container, items) {
  const width = 480, height = 200, bottom = 20, top = 14;
  const max = Math.max(1, ...items.map(([, v]) => Number(v)));
  const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, role: "img" });
  const step = width / items.length;
  items.forEach(([month, value], i) => {
    const amount = Number(value);
    const h = ((height - bottom - top) * Math.max(0, amount)) / max;
    const x = i * step + step * 0.15;
    const label = `${MONTHS[Number(month.slice(5)) - 1]} : ${money.format(amount)}`;
    svg.appendChild(titled(el("rect", {
      class: "bar", x, y: height - bottom - h, width: step * 0.7, height: h,
    }), label));
    svg.appendChild(el("text", {
      x: x + step * 0.35, y: height - 5, "text-anchor": "middle",
    }, MONTHS[Number(month.slice(5)) - 1]));
  });
  svg.appendChild(el("line", {
    class: "axis", x1: 0, x2: width, y1: height - bottom, y2: height - bottom,
  }));
  container.appendChild(svg);
}

// Horizontal bars, largest first, with the name and the amount.
function rows(container, items) {
  const shown = items.slice(0, 12);
  const width = 480, row = 22, labelWidth = 170;
  const height = Math.max(row, shown.length * row);
  const max = Math.max(1, ...shown.map(([, v]) => Number(v)));
  const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, role: "img" });
  shown.forEach(([name, value], i) => {
    const amount = Number(value);
    const w = ((width - labelWidth - 80) * Math.max(0, amount)) / max;
    const y = i * row;
    const short = name.length > 26 ? `${name.slice(0, 25)}…` : name;
    svg.appendChild(el("text", { x: 0, y: y + 15 }, short));
    svg.appendChild(titled(el("rect", {
      class: "bar", x: labelWidth, y: y + 4, width: Math.max(w, 1), height: row - 8,
    }), `${name} : ${money.format(amount)}`));
    svg.appendChild(el("text", { x: labelWidth + w + 4, y: y + 15 },
      money.format(amount)));
  });
  container.appendChild(svg);
}

function drawCharts() {
  const source = document.getElementById("micro-chart-data");
  if (!source) return;
  const data = JSON.parse(source.textContent || "{}");
  for (const container of document.querySelectorAll(".micro-chart")) {
    const series = container.getAttribute("data-series");
    const items = data[series] || [];
    container.replaceChildren();
    if (!items.length) {
      container.textContent = "Aucun encaissement.";
    } else if (series === "months") {
      columns(container, items);
    } else {
      rows(container, items);
    }
  }
}

export default {
  onExtensionPageLoad() {
    drawCharts();
  },
};
