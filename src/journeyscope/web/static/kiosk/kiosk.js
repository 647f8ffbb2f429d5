/* Journeyscope kiosk: runs the embedded survey, queues answers offline, sends them once.
 *
 * Where the respondent goes (show_if, branches, what is missing) is flow.js, loaded before this
 * file: the same rules as journeyscope/surveys/flow.py, tested on the same cases. Each finished response gets a UUID and waits in IndexedDB until the server answers 2xx (or
 * a 4xx that no retry can fix); the server stores one response per UUID, so a resend after a
 * lost reply is harmless: every answer is stored exactly once.
 */
(() => {
  "use strict";

  const flow = window.JourneyscopeFlow;
  const config = JSON.parse(document.getElementById("kiosk-config").textContent);
  const survey = config.survey;
  const texts = config.texts;
  const pages = survey.pages || [];
  const stage = document.getElementById("stage");
  const queueStatus = document.getElementById("queue");
  const SCORED = new Set(["nps", "csat", "ces", "rating"]);
  const faces = document.getElementById("kiosk-faces").content;
  const RETRY_MS = 10000;

  let answers = {};
  let pageId = null;
  let idleTimer = null;
  let resetTimer = null;

  /* ---- drawing --------------------------------------------------------------------------- */

  function el(tag, attrs = {}, children = []) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  function optionButton(label, pressed, onPick, extraClass = "", content = null) {
    const attrs = { type: "button", class: `option ${extraClass}`, "aria-pressed": String(pressed) };
    if (content) attrs["aria-label"] = label;
    else attrs.text = label;
    return el("button", { ...attrs, onclick: onPick }, content ? [content] : []);
  }

  /* A face in SVG (emoji fonts differ between devices): 0 very unhappy .. 4 very happy. The
   * page carries the five (templates/faces.html, the hosted pages' faces too); one is cloned. */
  const face = (level) => faces.children[level].cloneNode(true);

  function scaleOptions(q, pick) {
    const count = q.high - q.low + 1;
    const smileys = q.style === "smileys" && count === 5;
    /* count-N: the stylesheet puts long scales (NPS) in two rows on phones, one row wider */
    const row = el("div", { class: smileys ? "options options-smileys" : `options options-scale count-${count}` });
    for (let n = q.low; n <= q.high; n += 1) {
      const pressed = answers[q.id] === n;
      if (smileys) {
        const word = texts[`smiley_${n - q.low + 1}`];
        const inner = el("span", { class: "smiley-inner" }, [
          face(n - q.low),
          el("span", { class: "smiley-label", "aria-hidden": "true", text: word }),
        ]);
        row.append(optionButton(`${word} (${n})`, pressed, () => pick(n), "smiley", inner));
      } else if (q.style === "stars") { /* the star under the number: narrow buttons fit */
        const inner = el("span", { class: "star-inner" }, [
          el("span", { text: String(n) }), el("span", { class: "star", "aria-hidden": "true", text: "\u2605" })]);
        row.append(optionButton(`${n} \u2605`, pressed, () => pick(n), "option-star", inner));
      } else {
        row.append(optionButton(String(n), pressed, () => pick(n)));
      }
    }
    return row;
  }

  function choiceOptions(q, pick) {
    const row = el("div", { class: "options" });
    const chosen = answers[q.id];
    for (const choice of q.choices) {
      const pressed = Array.isArray(chosen) ? chosen.includes(choice.id) : chosen === choice.id;
      row.append(optionButton(choice.label, pressed, () => pick(choice.id), "option-choice"));
    }
    return row;
  }

  function toggle(q, id) {
    const list = Array.isArray(answers[q.id]) ? [...answers[q.id]] : [];
    const at = list.indexOf(id);
    if (at >= 0) list.splice(at, 1);
    else if (!q.max_selected || list.length < q.max_selected) list.push(id);
    return list;
  }

  function matrixRows(q, set) {
    const rows = el("div", {});
    const value = answers[q.id] || {};
    for (const row of q.rows) {
      const labelId = `m-${q.id}-${row.id}`;
      const options = el("div", { class: "options", role: "group", "aria-labelledby": labelId });
      for (const col of q.columns) {
        options.append(optionButton(col.label, value[row.id] === col.id,
          () => set({ ...(answers[q.id] || {}), [row.id]: col.id })));
      }
      rows.append(el("div", { class: "matrix-row" }, [
        el("div", { class: "matrix-label", id: labelId, text: row.label }), options]));
    }
    return rows;
  }

  function textInput(q, inputId) {
    const tag = q.multiline === false ? "input" : "textarea";
    const attrs = { id: inputId, class: "answer-text", maxlength: String(q.max_length || 2000) };
    if (q.placeholder) attrs.placeholder = q.placeholder;
    if (q.required) attrs["aria-required"] = "true";
    const input = el(tag, attrs);
    input.value = answers[q.id] || "";
    input.addEventListener("input", () => {
      if (input.value.trim()) answers[q.id] = input.value.trim();
      else delete answers[q.id];
      input.dispatchEvent(new CustomEvent("answer", { bubbles: true }));
    });
    return input;
  }

  function questionBlock(q, onAnswer) {
    const textId = `q-${q.id}`;
    const set = (value) => { answers[q.id] = value; onAnswer(q); };
    const help = q.description ? el("p", { class: "question-help", text: q.description }) : null;
    if (q.type === "open_text") {
      return el("div", { class: "question", "data-question": q.id }, [
        el("label", { class: "question-text", for: `${textId}-input`, text: q.text }),
        help, textInput(q, `${textId}-input`)]);
    }
    let body;
    if (SCORED.has(q.type)) body = scaleOptions(q, set);
    else if (q.type === "single_choice") body = choiceOptions(q, set);
    else if (q.type === "multi_choice") body = choiceOptions(q, (id) => set(toggle(q, id)));
    else body = matrixRows(q, set);
    const ends = SCORED.has(q.type) && (q.low_label || q.high_label)
      ? el("div", { class: "scale-ends", "aria-hidden": "true" }, [
        el("span", { text: q.low_label || "" }), el("span", { text: q.high_label || "" })])
      : null;
    return el("div", { class: "question", role: "group", "aria-labelledby": textId, "data-question": q.id }, [
      el("p", { class: "question-text", id: textId, text: q.text }), help, body, ends]);
  }

  function isOneTap(questions) {
    return questions.length === 1
      && (SCORED.has(questions[0].type) || questions[0].type === "single_choice");
  }

  function showPage(id, focus) {
    pageId = id;
    const page = pages.find((p) => p.id === id);
    const questions = flow.shownOnPage(pages, id, answers);
    const oneTap = isOneTap(questions);
    const error = el("p", { class: "error", role: "alert" });
    let left = false; /* a double tap must not finish (and queue) a response twice */
    const go = () => { if (!left) left = advance(questions, error); };
    let action = null;
    const onAnswer = (q) => {
      touch();
      error.textContent = "";
      if (oneTap) setTimeout(go, 150);
      else refresh(q);
    };
    const actionLabel = () => { /* as the answers on the page make the path go on or end */
      if (oneTap) return texts.skip;
      return flow.nextPage(pages, id, answers) === null ? texts.send : texts.next;
    };
    const blocks = questions.map((q) => questionBlock(q, onAnswer));
    const title = page.title ? el("h2", { class: "page-title", tabindex: "-1", text: page.title }) : null;
    const nodes = [title, ...blocks, error];
    if (!oneTap || !questions[0].required) {
      action = el("button", { type: "button", class: "action action-primary", text: actionLabel(), onclick: go });
      nodes.push(el("div", { class: "actions" }, [action]));
    }
    const relabel = () => { if (action) action.textContent = actionLabel(); };
    stage.replaceChildren(el("form", {
      class: "page", onsubmit: (e) => e.preventDefault(), onanswer: relabel }, nodes));
    if (focus) (title || stage.querySelector("button, textarea, input")).focus();

    function refresh(q) {
      const old = stage.querySelector(`[data-question="${q.id}"]`);
      const index = [...old.querySelectorAll("button")].indexOf(document.activeElement);
      const fresh = questionBlock(q, onAnswer);
      old.replaceWith(fresh);
      if (index >= 0) fresh.querySelectorAll("button")[index].focus();
      relabel();
    }
  }

  /* Move on if every required question is answered; true when the page was left. */
  function advance(questions, error) {
    const missing = questions.find((q) => flow.isMissing(q, answers));
    if (missing) {
      error.textContent = texts.answer_please;
      const block = stage.querySelector(`[data-question="${missing.id}"]`);
      (block.querySelector("button, textarea, input") || block).focus();
      return false;
    }
    const next = flow.nextPage(pages, pageId, answers);
    if (next === null) finish();
    else showPage(next, true);
    return true;
  }

  function start() {
    clearTimeout(resetTimer);
    clearTimeout(idleTimer);
    answers = {};
    const first = flow.firstPage(pages, answers);
    if (first === null) return;
    showPage(first, false);
  }

  function touch() {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(start, config.idle_seconds * 1000);
  }

  function finish() {
    clearTimeout(idleTimer);
    pageId = null;
    const kept = {};
    const hidden = new Set(flow.hiddenAnswers(pages, answers));
    for (const [key, value] of Object.entries(answers)) {
      if (flow.isAnswered(value) && !hidden.has(key)) kept[key] = value;
    }
    const item = {
      id: newId(),
      url: config.post_url,
      queued_at: new Date().toISOString(),
      body: {
        answers: kept, complete: true, locale: config.lang, device_class: "kiosk",
        page_url: location.pathname,
      },
    };
    item.body.id = item.id;
    const thanks = el("p", { class: "thanks", tabindex: "-1", role: "status", text: survey.thank_you || texts.thanks });
    stage.replaceChildren(thanks);
    thanks.focus();
    enqueue(item).then(flush, (error) => console.error("kiosk: could not queue an answer", error));
    resetTimer = setTimeout(start, config.reset_seconds * 1000);
  }

  function newId() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  /* ---- the outbox: IndexedDB, sent when online ------------------------------------------ */

  let dbPromise = null;
  function openDb() {
    dbPromise = dbPromise || new Promise((resolve, reject) => {
      const request = indexedDB.open("journeyscope-kiosk", 1);
      request.onupgradeneeded = () => request.result.createObjectStore("outbox", { keyPath: "id" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => { dbPromise = null; reject(request.error); };
    });
    return dbPromise;
  }

  async function outbox(mode, action) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const tx = db.transaction("outbox", mode);
      const request = action(tx.objectStore("outbox"));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  }

  const enqueue = (item) => outbox("readwrite", (s) => s.put(item)).then(showCount);
  const dequeue = (id) => outbox("readwrite", (s) => s.delete(id));
  const queued = () => outbox("readonly", (s) => s.getAll());

  async function showCount() {
    const n = await outbox("readonly", (s) => s.count());
    queueStatus.textContent = n === 0 ? "" : (n === 1 ? texts.waiting_one : texts.waiting_many.replace("{n}", n));
    document.body.dataset.queued = String(n);
  }

  /* A 4xx other than these can never succeed on a resend (bad answers, closed survey). */
  const RETRYABLE = new Set([408, 425, 429]);

  async function drain() {
    for (const item of await queued()) {
      let response;
      try {
        response = await fetch(item.url, {
          method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify(item.body), cache: "no-store", credentials: "same-origin",
        });
      } catch (error) {
        return; /* offline: everything stays queued until the next try */
      }
      if (response.ok) {
        await dequeue(item.id);
      } else if (response.status < 500 && !RETRYABLE.has(response.status)) {
        console.error("kiosk: answer refused for good, dropped", response.status, await response.text());
        await dequeue(item.id);
      } else {
        return; /* the server is busy or down: retry later, in order */
      }
    }
  }

  let flushing = null;
  function flush() {
    flushing = flushing || drain()
      .catch((error) => console.error("kiosk: sending failed", error))
      .finally(() => { flushing = null; showCount(); });
    return flushing;
  }

  /* ---- offline page: the service worker ------------------------------------------------ */

  function registerWorker() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register("/k/sw.js", { scope: "/k/" })
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => {
        const urls = [location.href, ...[...document.querySelectorAll("link[rel=stylesheet], script[src]")]
          .map((n) => n.href || n.src)];
        registration.active.postMessage({ type: "cache", urls });
      })
      .catch((error) => console.warn("kiosk: no offline support", error));
  }

  document.addEventListener("pointerdown", () => pageId && touch());
  document.addEventListener("keydown", () => pageId && touch());
  window.addEventListener("online", flush);
  setInterval(flush, RETRY_MS);
  registerWorker();
  start();
  flush();
})();
