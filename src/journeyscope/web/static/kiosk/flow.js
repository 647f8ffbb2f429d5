/* Journeyscope kiosk: a respondent's way through a survey, as journeyscope/surveys/flow.py.
 *
 * Pure functions of the survey's pages (as the server sends them to clients) and the answers
 * so far: conditions, the first and next page, the questions shown, what is missing, which
 * answers the path no longer shows. The widget carries its own copy (it must stay one file);
 * tests/data/branching_cases.json holds the cases the server and both scripts must agree on.
 */
(() => {
  "use strict";

  const OTHER = "other";
  const isNumber = (v) => typeof v === "number" && Number.isFinite(v);

  function isAnswered(v) {
    if (v === null || v === undefined) return false;
    if (typeof v === "string") return v.trim() !== "";
    if (Array.isArray(v)) return v.length > 0;
    if (typeof v === "object") return Object.values(v).some(isAnswered);
    return true;
  }

  /* A choice answer as its id (single) or ids (multi); "other" text counts as the id "other". */
  function comparable(v) {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      if ("choices" in v) {
        const ids = Array.isArray(v.choices) ? v.choices.filter((x) => typeof x === "string") : [];
        return typeof v[OTHER] === "string" && v[OTHER].trim() ? [...ids, OTHER] : ids;
      }
      if (OTHER in v) return OTHER;
    }
    return v;
  }

  function same(a, b) {
    if (Array.isArray(a) && Array.isArray(b)) {
      const left = new Set(a);
      const right = new Set(b);
      return left.size === right.size && [...left].every((x) => right.has(x));
    }
    return typeof a !== "boolean" && a === b;
  }

  function within(a, list) {
    if (!Array.isArray(list)) return false;
    return Array.isArray(a) ? a.some((x) => list.includes(x)) : list.includes(a);
  }

  const OPS = {
    eq: same,
    ne: (a, v) => !same(a, v),
    lt: (a, v) => isNumber(a) && isNumber(v) && a < v,
    lte: (a, v) => isNumber(a) && isNumber(v) && a <= v,
    gt: (a, v) => isNumber(a) && isNumber(v) && a > v,
    gte: (a, v) => isNumber(a) && isNumber(v) && a >= v,
    in: within,
    not_in: (a, v) => Array.isArray(v) && !within(a, v),
    contains: (a, v) => (Array.isArray(a) ? a.includes(v)
      : typeof a === "string" && typeof v === "string" && a.toLowerCase().includes(v.toLowerCase())),
  };

  function evaluate(c, answers) {
    if ("all" in c) return c.all.every((inner) => evaluate(inner, answers));
    if ("any" in c) return c.any.some((inner) => evaluate(inner, answers));
    if ("not" in c) return !evaluate(c.not, answers);
    const raw = answers[c.question];
    if (c.op === "answered") return isAnswered(raw);
    if (c.op === "not_answered") return !isAnswered(raw);
    if (!isAnswered(raw) || !(c.op in OPS)) return false;
    return OPS[c.op](comparable(raw), c.value === undefined ? null : c.value);
  }

  const isShown = (item, answers) => !item.show_if || evaluate(item.show_if, answers);
  const indexOf = (pages, id) => pages.findIndex((p) => p.id === id);

  function shownFrom(pages, start, answers) {
    for (let i = start; i < pages.length; i += 1) if (isShown(pages[i], answers)) return pages[i].id;
    return null;
  }

  const firstPage = (pages, answers) => shownFrom(pages, 0, answers);

  function nextPage(pages, id, answers) {
    const index = indexOf(pages, id);
    for (const branch of pages[index].branches || []) {
      if (branch.if && !evaluate(branch.if, answers)) continue;
      if (branch.goto === "end") return null;
      const target = indexOf(pages, branch.goto);
      if (target >= 0) return shownFrom(pages, target, answers);
    }
    return shownFrom(pages, index + 1, answers);
  }

  function path(pages, answers) {
    const seen = [];
    let id = firstPage(pages, answers);
    while (id !== null && !seen.includes(id)) {
      seen.push(id);
      id = nextPage(pages, id, answers);
    }
    return seen;
  }

  function shownOnPage(pages, id, answers) {
    const page = pages[indexOf(pages, id)];
    return page ? page.questions.filter((q) => isShown(q, answers)) : [];
  }

  const visibleQuestions = (pages, answers) =>
    path(pages, answers).flatMap((id) => shownOnPage(pages, id, answers));

  function isMissing(q, answers) {
    if (!q.required) return false;
    const value = answers[q.id];
    if (q.type === "matrix") {
      const given = value && typeof value === "object" && !Array.isArray(value) ? value : null;
      return !given || q.rows.some((row) => !isAnswered(given[row.id]));
    }
    return !isAnswered(value);
  }

  /* The answers the path no longer shows; clearing one may hide another, so repeat. */
  function hiddenAnswers(pages, answers) {
    const kept = { ...answers };
    const cleared = [];
    for (;;) {
      const shown = new Set(visibleQuestions(pages, kept).map((q) => q.id));
      const hidden = Object.keys(kept).filter((k) => isAnswered(kept[k]) && !shown.has(k));
      if (hidden.length === 0) return cleared;
      for (const key of hidden) kept[key] = null;
      cleared.push(...hidden);
    }
  }

  window.JourneyscopeFlow = Object.freeze({
    isAnswered, evaluate, isShown, firstPage, nextPage, path, shownOnPage, visibleQuestions,
    isMissing, hiddenAnswers,
  });
})();
