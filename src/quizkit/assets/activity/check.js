// The activity's rules for answers, all read from the course data the page embeds: form fields,
// saved answers and imported files. Messages match quizkit.analysis.read_profile's where both check, and
// those about an imported file name each field as `quizkit profile` does (ProfileInputError.problem).

/** "Enter a number from 1 to 31." as Python writes it (`analysis.range_message`), with why a bound of the course's own is what it is. */
export function rangeMessage(field) {
  const high = field.high.toLocaleString("en");
  const why = field.high_note ? `: ${high} is ${field.high_note}` : "";
  return `Enter a number from ${field.low} to ${high}${why}.`;
}

/** The problem with a whole number (already a number, or "" when empty), or "" when it is fine. */
export function numberProblem(field, value) {
  if (value === "" || value === null || value === undefined) return "Enter a number.";
  if (typeof value !== "number" || !Number.isFinite(value) || !Number.isInteger(value)) return "Enter a whole number.";
  if (value < 0 && field.low === 0) return "Cannot be negative.";
  if (value < field.low || value > field.high) return rangeMessage(field);
  return "";
}

/** The problem a number input's HTML constraints report, in the same words, or "". */
export function inputProblem(field, input) {
  const validity = input.validity;
  if (validity.badInput || validity.stepMismatch) return "Enter a whole number.";
  if (validity.valueMissing) return "Enter a number.";
  if (validity.rangeUnderflow) return field.low === 0 ? "Cannot be negative." : rangeMessage(field);
  if (validity.rangeOverflow) return rangeMessage(field);
  return "";
}

/** What a file that leaves out a required field is told, as quizkit.analysis.missing says it. */
export function missing(name, example) {
  return `Missing: add it to the file, like “${name}: ${example}”.`;
}

/** "complete, needs an update or missing" from the statuses of the course data. */
export function statusChoices(data) {
  const labels = data.statuses.map((s) => s.label.toLowerCase());
  return labels.length > 1 ? `${labels.slice(0, -1).join(", ")} or ${labels.at(-1)}` : labels.join("");
}

/**
 * A field as messages about a file name it: the form's words for it, then its key in the file
 * ("Connects in your balance now (“balance”)"), as quizkit.analysis.field_title does.
 */
export function fieldTitle(data, name) {
  const field = data.fields.find((f) => f.name === name);
  if (field) return `${field.label} (“${name}”)`;
  if (name === "plan") return `${data.plan_label} (“plan”)`;
  const [group, ...rest] = name.split(".");
  const key = rest.join(".");
  const section = data.sections.find((s) => s.id === key);
  if (group === "sections" && section) return `section ${section.name} (“${key}”)`;
  if (group === "sections" && key) return `section “${key}”`;
  return `“${name}”`;
}

/** "Choose one of Complete (“complete”), … or Missing (“missing”).", as quizkit.analysis.one_of says it. */
export function oneOf(choices) {
  const named = choices.map(([key, label]) => `${label} (“${key}”)`);
  return `Choose one of ${named.length > 1 ? `${named.slice(0, -1).join(", ")} or ${named.at(-1)}` : named.join("")}.`;
}

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * Saved answers, checked field by field: what has the right type is kept, the rest dropped. A number
 * the form refuses (out of range, not whole) is kept too, so the reader finds it with its message.
 * @returns {{sections: Object<string,string>, plan: string|undefined, numbers: Object<string, number|"">}|null}
 */
export function readSaved(data, raw) {
  if (!isObject(raw) || !isObject(raw.profile)) return null;
  const profile = raw.profile;
  const statuses = new Set(data.statuses.map((s) => s.id));
  const sections = {};
  if (isObject(profile.sections)) {
    for (const section of data.sections) {
      const status = profile.sections[section.id];
      if (statuses.has(status)) sections[section.id] = status;
    }
  }
  const plan = data.plans.some((p) => p.id === profile.plan) ? profile.plan : undefined;
  const numbers = {};
  for (const field of data.fields) {
    const value = profile[field.name];
    if (value === "" || (typeof value === "number" && Number.isFinite(value))) numbers[field.name] = value;
  }
  return { sections, plan, numbers, analysed: raw.analysed === true, refused: raw.refused === true };
}

/**
 * An imported file, checked strictly: every problem is listed and nothing is taken from a bad file.
 * Accepts what "Save my answers to a file" writes and the profile files of `quizkit profile` (as JSON).
 * @returns {{profile: object}|{problems: string[]}}
 */
export function readImport(data, text) {
  let raw;
  try {
    raw = JSON.parse(text);
  } catch {
    return { problems: ["the file is not JSON."] };
  }
  if (!isObject(raw)) return { problems: ["the file does not hold a profile (expected an object of fields)."] };
  const problems = [];
  const problem = (name, message) => problems.push(`${fieldTitle(data, name)}: ${message}`);
  const known = ["sections", "plan", "today", ...data.fields.map((f) => f.name)].sort();
  for (const key of Object.keys(raw)) if (!known.includes(key)) problem(key, `Unknown field (known: ${known.join(", ")}).`);
  if (!("plan" in raw)) problem("plan", missing("plan", data.plans[0].id));
  else if (!data.plans.some((p) => p.id === raw.plan)) problem("plan", oneOf(data.plans.map((p) => [p.id, p.name])));
  const statuses = new Set(data.statuses.map((s) => s.id));
  const sectionIds = new Set(data.sections.map((s) => s.id));
  const sections = {};
  if (raw.sections !== undefined && !isObject(raw.sections)) problem("sections", "Expected each section with its status.");
  else {
    for (const [id, status] of Object.entries(raw.sections ?? {})) {
      if (!sectionIds.has(id)) problem(`sections.${id}`, `Unknown profile section (known: ${data.sections.map((s) => s.id).join(", ")}).`);
      else if (!statuses.has(status)) problem(`sections.${id}`, oneOf(data.statuses.map((s) => [s.id, s.label])));
    }
    // As for `quizkit profile`, a section the file leaves out counts as missing.
    for (const section of data.sections) sections[section.id] = raw.sections?.[section.id] ?? "missing";
  }
  const numbers = {};
  for (const field of data.fields) {
    let value = raw[field.name];
    if (value === undefined && field.default !== null) value = field.default;
    const message = value === undefined ? missing(field.name, field.example) : numberProblem(field, value);
    if (message) problem(field.name, message);
    else numbers[field.name] = value;
  }
  if (problems.length) return { problems };
  return { profile: { sections, plan: raw.plan, ...numbers } };
}
