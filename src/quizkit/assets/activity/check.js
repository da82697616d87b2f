// The activity's rules for answers, all read from the course data the page embeds: form fields,
// saved answers and imported files. Messages match quizkit.analysis.read_profile's where both check.

/** "Enter a number from 1 to 31." as Python writes it (`{high:,}`). */
export function rangeMessage(field) {
  return `Enter a number from ${field.low} to ${field.high.toLocaleString("en")}.`;
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

/** "complete, needs an update or missing" from the statuses of the course data. */
export function statusChoices(data) {
  const labels = data.statuses.map((s) => s.label.toLowerCase());
  return labels.length > 1 ? `${labels.slice(0, -1).join(", ")} or ${labels.at(-1)}` : labels.join("");
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
 * Accepts what "Download my answers" writes and the profile files of `quizkit profile` (as JSON).
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
  const fields = new Map(data.fields.map((f) => [f.name, f]));
  const known = new Set(["sections", "plan", "today", ...fields.keys()]);
  for (const key of Object.keys(raw)) if (!known.has(key)) problems.push(`unknown field “${key}”.`);
  const statuses = new Set(data.statuses.map((s) => s.id));
  const sectionIds = new Set(data.sections.map((s) => s.id));
  const sections = {};
  if (raw.sections !== undefined && !isObject(raw.sections)) problems.push("“sections” must map each section to its status.");
  else {
    for (const [id, status] of Object.entries(raw.sections ?? {})) {
      if (!sectionIds.has(id)) problems.push(`unknown profile section “${id}”.`);
      else if (!statuses.has(status)) problems.push(`section “${id}”: choose one of ${[...statuses].join(", ")}.`);
    }
    // As for `quizkit profile`, a section the file leaves out counts as missing.
    for (const section of data.sections) sections[section.id] = raw.sections?.[section.id] ?? "missing";
  }
  if (!data.plans.some((p) => p.id === raw.plan)) problems.push(`“plan” must be one of ${data.plans.map((p) => p.id).join(", ")}.`);
  const numbers = {};
  for (const field of data.fields) {
    let value = raw[field.name];
    if (value === undefined && field.default !== null) value = field.default;
    const problem = numberProblem(field, value);
    if (problem) problems.push(`“${field.name}”: ${problem}`);
    else numbers[field.name] = value;
  }
  if (problems.length) return { problems };
  return { profile: { sections, plan: raw.plan, ...numbers } };
}
