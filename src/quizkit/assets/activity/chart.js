// The projected balance as an SVG bar chart that reads without colour: every bar carries its number,
// shortfalls are hatched and drawn below the line, and <title>/<desc> say it all in words.

const SVG = "http://www.w3.org/2000/svg";
const SLOT = 56; // width of one month
const BAR = 30;
const LEFT = 12;
const TOP = 22; // room for the balance labels
const PLOT = 150;
const BELOW = 18; // room for the shortfall labels
const AXIS = 34; // month numbers and the axis title

function svg(tag, attributes = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A sentence listing month numbers compactly: "1 to 3 and 6". */
function monthList(months) {
  const runs = [];
  for (const month of months) {
    const last = runs.at(-1);
    if (last && month === last[1] + 1) last[1] = month;
    else runs.push([month, month]);
  }
  const parts = runs.map(([a, b]) => (a === b ? `${a}` : `${a} to ${b}`));
  return parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}` : parts[0];
}

/** The words of the chart: what a screen reader says, and the SVG's <desc>. */
export function describe(projection) {
  const balances = projection.map((m) => `month ${m.month}: ${m.balance}`).join(", ");
  let text = `Connects left at the end of each month: ${balances}.`;
  const short = projection.filter((m) => m.shortfall > 0);
  if (short.length) {
    const amounts = short.map((m) => m.shortfall);
    const range = Math.min(...amounts) === Math.max(...amounts) ? `${amounts[0]}` : `${Math.min(...amounts)} to ${Math.max(...amounts)}`;
    text += ` You would be short of Connects in month ${monthList(short.map((m) => m.month))} (${range} Connects a month).`;
  } else {
    text += " Your balance covers your need every month.";
  }
  const expired = projection.filter((m) => m.expired > 0);
  if (expired.length) text += ` Connects expire in month ${monthList(expired.map((m) => m.month))}.`;
  return text;
}

/**
 * The chart of `projection` (the `projection` list of quizkit.analysis.analyse).
 * @param {string} idPrefix makes the ids of the <title>, <desc> and pattern unique in the page
 */
export function balanceChart(projection, idPrefix) {
  const width = LEFT * 2 + SLOT * projection.length;
  const height = TOP + PLOT + BELOW + AXIS;
  const maxBalance = Math.max(0, ...projection.map((m) => m.balance));
  const maxShort = Math.max(0, ...projection.map((m) => m.shortfall));
  const scale = maxBalance + maxShort > 0 ? PLOT / (maxBalance + maxShort) : 0;
  const baseline = TOP + maxBalance * scale + (maxBalance + maxShort > 0 ? 0 : PLOT);
  const titleId = `${idPrefix}-title`;
  const descId = `${idPrefix}-desc`;
  const hatchId = `${idPrefix}-hatch`;

  const root = svg("svg", {
    class: "quizkit-chart", viewBox: `0 0 ${width} ${height}`, width, height,
    role: "img", "aria-labelledby": `${titleId} ${descId}`, "data-result": "chart",
  });
  root.append(
    svg("title", { id: titleId }, "Projected Connects balance, month by month"),
    svg("desc", { id: descId }, describe(projection)),
  );
  const defs = svg("defs");
  const hatch = svg("pattern", { id: hatchId, patternUnits: "userSpaceOnUse", width: 6, height: 6, patternTransform: "rotate(45)" });
  hatch.append(svg("rect", { width: 6, height: 6, class: "quizkit-chart__hatch-bg" }), svg("line", { x1: 0, y1: 0, x2: 0, y2: 6, class: "quizkit-chart__hatch" }));
  defs.append(hatch);
  root.append(defs);

  for (const [i, month] of projection.entries()) {
    const x = LEFT + i * SLOT + (SLOT - BAR) / 2;
    const centre = x + BAR / 2;
    const group = svg("g", { class: "quizkit-chart__month", "data-month": month.month });
    const high = month.balance * scale;
    group.append(svg("rect", { x, y: baseline - high, width: BAR, height: Math.max(high, 0), class: "quizkit-chart__balance" }));
    group.append(svg("text", { x: centre, y: baseline - high - 5, class: "quizkit-chart__value", "text-anchor": "middle" }, String(month.balance)));
    if (month.shortfall > 0) {
      const deep = month.shortfall * scale;
      group.append(svg("rect", { x, y: baseline, width: BAR, height: deep, fill: `url(#${hatchId})`, class: "quizkit-chart__short" }));
      group.append(svg("text", { x: centre, y: baseline + deep + 13, class: "quizkit-chart__value", "text-anchor": "middle" }, `−${month.shortfall}`));
    }
    group.append(svg("text", { x: centre, y: height - AXIS + 16, class: "quizkit-chart__month-label", "text-anchor": "middle" }, String(month.month)));
    root.append(group);
  }
  root.append(svg("line", { x1: LEFT / 2, x2: width - LEFT / 2, y1: baseline, y2: baseline, class: "quizkit-chart__axis" }));
  root.append(svg("text", { x: width / 2, y: height - 4, class: "quizkit-chart__axis-title", "text-anchor": "middle" }, "Month"));
  return root;
}

/** The chart's key, in words, with a sample of each kind of bar. */
export function legend(idPrefix) {
  const list = document.createElement("ul");
  list.className = "quizkit-chart__legend";
  for (const [kind, text] of [["balance", "Solid bar above the line: Connects left at the end of the month (the number on top)."],
    ["short", "Hatched bar below the line: Connects you would be short that month (the number with a minus sign)."]]) {
    const item = document.createElement("li");
    const sample = svg("svg", { width: 18, height: 12, "aria-hidden": "true", focusable: "false" });
    sample.append(svg("rect", { x: 1, y: 1, width: 16, height: 10, class: `quizkit-chart__${kind}`, ...(kind === "short" ? { fill: `url(#${idPrefix}-hatch)` } : {}) }));
    item.append(sample, document.createTextNode(` ${text}`));
    list.append(item);
  }
  return list;
}
