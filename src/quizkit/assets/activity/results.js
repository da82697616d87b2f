// The analysis on the page: score, gaps, budget, projection (chart and table), plan advice.
// Everything comes from quizkit.analysis.analyse (run in the worker) and is inserted as text.
import { balanceChart, describe } from "./chart.js";

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "className") node.className = value;
    else node.setAttribute(name, String(value));
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

const number = (n) => Number(n).toLocaleString("en");
const usd = (n) => `$${Number(n).toLocaleString("en", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** The date, the rules' version and the reader's answers: the same words as the report's first part. */
function about(result) {
  return el("section", { className: "quizkit-activity__part", "aria-labelledby": "qk-activity-r-about" },
    el("h3", { id: "qk-activity-r-about" }, "Your answers"),
    el("p", { "data-result": "about" }, result.about.text),
    el("ul", { className: "quizkit-activity__inputs", "data-result": "inputs" },
      ...result.inputs.map((row) => el("li", {}, `${row.label}: `, el("strong", {}, row.value)))));
}

/** A table with a caption, in a box that scrolls sideways on narrow screens (`.table` is the table). */
function table(id, caption, headings, rows, attributes = {}) {
  const head = el("tr", {}, ...headings.map((h) => el("th", { scope: "col" }, h)));
  const body = el("tbody", {}, ...rows.map((cells) => {
    const [first, ...rest] = cells;
    return el("tr", {}, el("th", { scope: "row" }, first), ...rest.map((c) => el("td", {}, c)));
  }));
  const node = el("table", { className: "quizkit-activity__table", ...attributes }, el("caption", { id }, caption), el("thead", {}, head), body);
  const box = el("div", { className: "quizkit-activity__scroll", role: "region", "aria-labelledby": id, tabindex: 0 }, node);
  box.table = node;
  return box;
}

function score(result) {
  return el("section", { className: "quizkit-activity__part", "aria-labelledby": "qk-activity-r-score" },
    el("h3", { id: "qk-activity-r-score" }, "Profile completeness"),
    el("p", { className: "quizkit-activity__score" },
      el("strong", { "data-result": "completeness", "data-value": result.completeness }, `${result.completeness}%`),
      " of a complete profile, weighting each section by the course's advice on what matters most to a profile"
      + " (the course's own score: Upwork publishes no such weights)."),
    el("meter", { min: 0, max: 100, value: result.completeness, "aria-label": "Profile completeness", className: "quizkit-activity__meter" }));
}

function gaps(result, data) {
  const statusLabel = Object.fromEntries(data.statuses.map((s) => [s.id, s.label.toLowerCase()]));
  const part = el("section", { className: "quizkit-activity__part", "aria-labelledby": "qk-activity-r-gaps" },
    el("h3", { id: "qk-activity-r-gaps" }, "Sections to work on, the fix that adds most to your score first"));
  if (!result.gaps.length) {
    part.append(el("p", { "data-result": "gaps" }, "Every section is complete: keep them current."));
  } else {
    part.append(el("ol", { "data-result": "gaps" }, ...result.gaps.map((gap) => {
      const item = el("li", { "data-section": gap.id }, el("strong", {}, gap.name),
        ` (${statusLabel[gap.status] ?? gap.status}, ${gap.adds_text}): ${gap.why}`);
      if (gap.bonus_connects !== null && gap.bonus_connects !== undefined) {
        item.append(` Completing it is documented to earn ${number(gap.bonus_connects)} bonus Connects.`);
      }
      return item;
    })));
  }
  if (result.bonus_note) part.append(el("p", { className: "quizkit-activity__small" }, `Bonus Connects: ${result.bonus_note}`));
  return part;
}

function budget(result, profile, data) {
  const b = result.budget;
  const plan = data.plans.find((p) => p.id === profile.plan);
  const rows = [
    ["need", "Connects you need a month", number(b.need), b.need_note, b.boost_note],
    ["allowance", `Included in ${plan ? plan.name : profile.plan}`, number(b.allowance), "credited each month", b.allowance_note],
    ["shortfall", "Beyond your plan's allowance each month", number(b.shortfall), b.shortfall ? "from your balance while it lasts, then buy Connects or send fewer proposals" : "none: your plan covers it"],
  ];
  if (b.proposals_affordable_now !== null) rows.push(["affordable", "Proposals your balance pays for now", number(b.proposals_affordable_now), `at ${number(profile.connects_per_proposal)} Connects each`]);
  rows.push(["next-refill", "Next monthly Connects", b.next_refill_text, "the first day of your next billing cycle", b.next_refill_note]);
  const list = el("dl", { className: "quizkit-activity__budget" });
  for (const [key, term, value, note, more] of rows) {
    list.append(el("dt", {}, term), el("dd", {}, el("strong", { "data-result": key }, value), ` (${note})${more ? `. ${more}` : ""}`));
  }
  return el("section", { className: "quizkit-activity__part", "aria-labelledby": "qk-activity-r-budget" },
    el("h3", { id: "qk-activity-r-budget" }, "Connects needed against your allowance"), list);
}

function projection(result, profile) {
  const months = result.projection;
  const chart = el("figure", { className: "quizkit-activity__chart" });
  chart.append(balanceChart(months, profile.balance, "qk-activity-chart"), el("figcaption", { id: "qk-activity-chart-desc" }, describe(months, profile.balance)));
  const rows = months.map((m) => [m.label, number(m.granted), number(m.expired), number(m.spent), number(m.shortfall), number(m.balance)]);
  const data = table("qk-activity-r-projection-table", "The projection as a table", ["Month (starts)", "Connects credited", "Expired", "Spent", "Short", "Balance at the end"], rows,
    { "data-result": "projection" });
  for (const [i, m] of months.entries()) data.table.tBodies[0].rows[i].dataset.month = String(m.month);
  return el("section", { className: "quizkit-activity__part", "aria-labelledby": "qk-activity-r-projection" },
    el("h3", { id: "qk-activity-r-projection" }, result.projection_title),
    el("p", {}, result.projection_note),
    chart, data);
}

/** `text` with its first `words` a link to `href` (when there is one): the same text either way. */
function linked(text, words, href) {
  const at = href && words ? text.indexOf(words) : -1;
  if (at < 0) return [text];
  return [text.slice(0, at), el("a", { href }, words), text.slice(at + words.length)];
}

function advice(result, data) {
  const a = result.advice;
  // A cost shows the month and confidence of the least sure figure it rests on, after the amount (a node of its own).
  const cost = (o) => (o.mark ? el("span", {}, usd(o.monthly_usd), " ", el("small", {}, `(${o.mark})`)) : usd(o.monthly_usd));
  const rows = a.options.map((o) => [o.plan === a.cheapest ? `${o.name} (costs least)` : o.name, number(o.included), number(o.to_buy), cost(o)]);
  const options = table("qk-activity-r-options-table", "What each plan would cost for your need", ["Plan", "Connects included", "Connects to buy", "Cost a month"], rows,
    { "data-result": "options" });
  for (const [i, o] of a.options.entries()) options.table.tBodies[0].rows[i].dataset.plan = o.plan;
  // The summary says the break-even once; the table shows the costs. Each figure in the report's words.
  const prices = el("ul", { "data-result": "prices" }, ...a.figures.map((f) => {
    const source = f.url ? el("a", { href: f.url, rel: "noopener" }, f.source) : f.source;
    const item = el("li", { "data-figure": f.id }, `${f.label}: `, el("strong", {}, f.value_text), ` (${f.when}; `, source, ")");
    if (f.note) item.append(` ${f.note}`);
    if (f.warning) item.append(" ", el("strong", { className: "quizkit-activity__warning" }, f.warning));
    return item;
  }));
  return el("section", { className: "quizkit-activity__part", "aria-labelledby": "qk-activity-r-advice" },
    el("h3", { id: "qk-activity-r-advice" }, "Plan advice"),
    el("p", { "data-result": "advice", "data-cheapest": a.cheapest }, a.summary),
    ...(a.boost_note ? [el("p", { "data-result": "boost-advice" }, ...linked(a.boost_note, a.boost_link_text, data.links?.boost_worth_it))] : []),
    options,
    el("p", {}, "Prices and figures used:"),
    prices,
    el("p", { className: "quizkit-activity__small", "data-result": "version" }, result.about.version_text));
}

/** Replace the contents of `container` with the analysis. */
export function renderResults(container, result, profile, data) {
  container.replaceChildren(about(result), score(result), gaps(result, data), budget(result, profile, data),
    projection(result, profile), advice(result, data));
}

/** One sentence for the live region. */
export function summary(result, profile, data) {
  const plan = data.plans.find((p) => p.id === profile.plan);
  const cheapest = result.advice.options.find((o) => o.plan === result.advice.cheapest);
  const todo = result.gaps.length === 1 ? "1 section to work on" : `${result.gaps.length} sections to work on`;
  return `Analysis ready. Your profile is ${result.completeness}% complete, with ${todo}. You need ${number(result.budget.need)} Connects a month; `
    + `${plan ? plan.name : profile.plan} includes ${number(result.budget.allowance)}. ${cheapest ? cheapest.name : result.advice.cheapest} costs least.`;
}
