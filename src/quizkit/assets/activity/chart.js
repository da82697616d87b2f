// The projected balance as a chart that reads at a glance and without colour: the opening balance and what
// is spent and left of it before the next refill, then for each month what is credited, expires, is spent
// and is left, one bar and one number each, with every bar named in words; a month you would be short is
// marked in words and with a hatched bar.
//
// Built of HTML (not a scaled picture), so its text is the page's body size at any width and the chart
// follows the column down to a phone. The table under it says the same for screen readers.

function node(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

const number = (n) => Number(n).toLocaleString("en");

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

/** The chart in words: shown under it, and its description for screen readers. */
export function describe(projection, opening) {
  const now = projection[0]?.month === 0 ? projection[0] : null;
  const months = now ? projection.slice(1) : projection;
  let text = `You start with ${number(opening)} Connects.`;
  if (now) text += ` Until your next refill (${months[0]?.starts_text ?? "next month"}) you would spend ${number(now.spent)}, leaving ${number(now.balance)}.`;
  const balances = months.map((m) => `month ${m.month}: ${number(m.balance)}`).join(", ");
  text += ` Connects left at the end of each month: ${balances}.`;
  const short = months.filter((m) => m.shortfall > 0);
  const when = [];
  if (now && now.shortfall > 0) when.push(`before your next refill (${number(now.shortfall)} Connects)`);
  if (short.length) {
    const amounts = short.map((m) => m.shortfall);
    const low = Math.min(...amounts);
    const high = Math.max(...amounts);
    const range = low === high ? number(low) : `${number(low)} to ${number(high)}`;
    when.push(`in month ${monthList(short.map((m) => m.month))} (${range} Connects a month)`);
  }
  text += when.length ? ` You would be short of Connects ${when.join(" and ")}.` : " Your balance covers your need every month.";
  const expired = months.filter((m) => m.expired > 0);
  if (expired.length) text += ` Connects expire in month ${monthList(expired.map((m) => m.month))}.`;
  return text;
}

/** One bar: its name, the bar (its length against `max`), its one number. */
function bar(kind, label, value, max) {
  const row = node("div", `quizkit-chart__row quizkit-chart__row--${kind}`);
  row.dataset.kind = kind;
  const track = node("span", "quizkit-chart__track");
  const fill = node("span", "quizkit-chart__bar");
  fill.style.setProperty("--qk-share", String(max > 0 ? value / max : 0));
  track.append(fill, node("span", "quizkit-chart__value", number(value)));
  row.append(node("span", "quizkit-chart__label", label), track);
  return row;
}

/**
 * The chart of `projection` (the `projection` list of quizkit.analysis.analyse) from `opening` Connects.
 * @param {string} idPrefix names the description (`<idPrefix>-desc`, the figure's caption)
 */
export function balanceChart(projection, opening, idPrefix) {
  const max = Math.max(1, opening, ...projection.flatMap((m) => [m.granted, m.expired, m.spent, m.shortfall, m.balance]));
  const root = node("div", "quizkit-chart");
  root.setAttribute("role", "img");
  root.setAttribute("aria-label", "Projected Connects balance, month by month");
  root.setAttribute("aria-describedby", `${idPrefix}-desc`);
  root.dataset.result = "chart";
  const flag = (group, heading, month) => {
    if (month.shortfall > 0) {
      group.dataset.short = "true";
      heading.append(" ", node("span", "quizkit-chart__flag", "⚠ short"));
    }
  };
  // "Now": the balance today, then (from today to the next refill, month 0 of the projection) what is spent and left.
  const now = projection[0]?.month === 0 ? projection[0] : null;
  const start = node("div", "quizkit-chart__month quizkit-chart__month--start");
  start.dataset.month = "0";
  const startHeading = node("p", "quizkit-chart__heading", "Now");
  start.append(startHeading, bar("opening", "In your balance", opening, max));
  if (now) {
    flag(start, startHeading, now);
    start.append(bar("spent", "Spent", now.spent, max));
    if (now.shortfall > 0) start.append(bar("short", "Short", now.shortfall, max));
    start.append(bar("balance", "Left", now.balance, max));
  }
  root.append(start);
  for (const month of now ? projection.slice(1) : projection) {
    const group = node("div", "quizkit-chart__month");
    group.dataset.month = String(month.month);
    const heading = node("p", "quizkit-chart__heading", month.starts_text ? `Month ${month.month} (${month.starts_text})` : `Month ${month.month}`);
    flag(group, heading, month);
    group.append(heading, bar("credited", "Credited", month.granted, max));
    if (month.expired > 0) group.append(bar("expired", "Expired", month.expired, max));
    group.append(bar("spent", "Spent", month.spent, max));
    if (month.shortfall > 0) group.append(bar("short", "Short", month.shortfall, max));
    group.append(bar("balance", "Left", month.balance, max));
    root.append(group);
  }
  return root;
}
