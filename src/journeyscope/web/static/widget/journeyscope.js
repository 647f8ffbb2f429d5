/*! Journeyscope widget: one script tag, no dependencies. Docs: docs/channels/widget.md
 * The server decides whether to show a survey (targeting, sampling, recontact period); this
 * script reports page views and events, shows the survey in a Shadow DOM so the host page's
 * CSS cannot break it, follows its show_if/branches logic and sends the answers. */
(function (w, d) {
  "use strict";
  var queued = w.journeyscope;
  if (queued && queued.loaded) return;
  var me = d.currentScript;
  var host = me && me.src ? new URL(me.src).origin : "";
  var ws, contact = null, channel = "website", lang, vid, busy = false, lastUrl, watching;
  var s, answers, rid, display, pageId, done, el, box, body, err, before;
  var T = {}; // the words, in the survey's language, come with the survey (words)
  var CSS = ":host{all:initial}" +
    ".box{position:relative;box-sizing:border-box;width:min(360px,calc(100vw - 32px));" +
    "max-height:calc(100vh - 32px);overflow:auto;background:#fff;color:#1a1a1a;text-align:left;" +
    "font:15px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;padding:16px;" +
    "border:1px solid #767676;border-radius:10px;box-shadow:0 6px 24px rgba(0,0,0,.2)}" +
    "h2{font-size:17px;margin:0 44px 8px 0}p{margin:0 0 10px}" +
    ".x{position:absolute;top:4px;right:4px;width:44px;height:44px;border:0;border-radius:6px;" +
    "background:none;color:#1a1a1a;font-size:24px;line-height:1;cursor:pointer}" +
    "fieldset{border:0;margin:0 0 14px;padding:0;min-width:0}" +
    "legend,label.q{display:block;font-weight:600;margin:0 0 6px;padding:0}" +
    // scales: equal buttons of at least 44px, up to 7 a row, longer ones (NPS) in two rows
    ".sc{display:grid;grid-template-columns:repeat(var(--c),minmax(0,1fr));gap:4px}" +
    ".o{position:relative;display:block;min-width:0}" +
    ".o input{position:absolute;inset:0;opacity:0;margin:0;width:100%;height:100%;cursor:pointer}" +
    ".o span{display:flex;align-items:center;justify-content:center;min-height:44px;padding:0 2px;" +
    "border:1px solid #767676;border-radius:6px}" +
    ".o input:checked+span{background:#1d4ed8;border-color:#1d4ed8;color:#fff}" +
    ".o input:focus-visible+span,:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}" +
    ".ends{display:flex;justify-content:space-between;gap:8px;font-size:13px;color:#4a4a4a}" +
    ".c{display:flex;gap:8px;align-items:center;min-height:44px}.c input{margin:0}" +
    "textarea,input[type=text]{box-sizing:border-box;width:100%;font:inherit;padding:6px;" +
    "border:1px solid #767676;border-radius:6px;color:#1a1a1a;background:#fff}" +
    ".go{background:#1d4ed8;color:#fff;border:0;border-radius:6px;padding:8px 18px;min-height:44px;" +
    "font:inherit;font-weight:600;cursor:pointer}.err{color:#b00020}.err:empty{display:none}";

  function uuid() {
    var b = crypto.getRandomValues(new Uint8Array(16)), x;
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    x = Array.prototype.map.call(b, function (n) { return (n + 256).toString(16).slice(1); }).join("");
    return [x.slice(0, 8), x.slice(8, 12), x.slice(12, 16), x.slice(16, 20), x.slice(20)].join("-");
  }

  function visitor() {
    var k = "journeyscope.visitor", id;
    try {
      id = localStorage.getItem(k);
      if (!/^[0-9a-f-]{36}$/.test(id || "")) localStorage.setItem(k, (id = uuid()));
    } catch (e) {
      id = id || uuid(); // storage blocked: this page view only
    }
    return id;
  }

  function post(path, data) {
    return fetch(host + "/v1/public" + path, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(data)
    }).then(function (r) { return r.ok ? r.json() : Promise.reject(r); });
  }

  function who(more) {
    var o = { visitor: vid, contact_external_id: contact };
    for (var k in more) o[k] = more[k];
    return o;
  }

  function wsPath(p) { return "/workspaces/" + encodeURIComponent(ws) + p; }

  // --- triggers ------------------------------------------------------------------------------

  function check(trigger) { // busy: a survey is waiting for its delay or showing
    if (busy || !ws) return;
    post(wsPath("/eligibility"), who({
      url: location.href.slice(0, 2048), event: trigger.event || null, channel: channel, lang: lang
    })).then(function (r) {
      if (!r.survey || busy) return;
      busy = true;
      setTimeout(function () { show(r.survey); }, r.survey.delay_seconds * 1000);
    }, function () {});
  }

  function pageView() {
    lastUrl = location.href;
    check({});
  }

  function changed() { if (location.href !== lastUrl) pageView(); }

  function watch() { // single-page apps: a new URL is a new page view
    if (watching) return;
    watching = true;
    ["pushState", "replaceState"].forEach(function (m) {
      var orig = history[m];
      history[m] = function () { var r = orig.apply(this, arguments); changed(); return r; };
    });
    w.addEventListener("popstate", changed);
  }

  // --- survey logic: journeyscope/surveys/flow.py in the browser (docs/survey-json.md) ---------
  // Pure functions of the pages and the answers so far; tests/data/branching_cases.json holds
  // the cases the server, this widget and the kiosk must agree on.

  function isAns(v) {
    if (v == null) return false;
    if (typeof v === "string") return !!v.trim();
    if (Array.isArray(v)) return v.length > 0;
    if (typeof v === "object") return Object.keys(v).some(function (k) { return isAns(v[k]); });
    return true;
  }
  function cmp(v) { // a choice answer as its id(s); "other" text counts as the id "other"
    if (v && typeof v === "object" && !Array.isArray(v)) {
      if ("choices" in v) {
        var ids = Array.isArray(v.choices) ? v.choices.filter(function (x) { return typeof x === "string"; }) : [];
        return typeof v.other === "string" && v.other.trim() ? ids.concat(["other"]) : ids;
      }
      if ("other" in v) return "other";
    }
    return v;
  }
  function num(a, b) { return typeof a === "number" && typeof b === "number" && isFinite(a) && isFinite(b); }
  function eq(a, b) {
    if (Array.isArray(a) && Array.isArray(b)) {
      var A = new Set(a), B = new Set(b);
      return A.size === B.size && a.every(function (x) { return B.has(x); });
    }
    return typeof a !== "boolean" && a === b;
  }
  function inn(a, b) {
    if (!Array.isArray(b)) return false;
    return Array.isArray(a) ? a.some(function (x) { return b.indexOf(x) >= 0; }) : b.indexOf(a) >= 0;
  }
  var OPS = {
    eq: eq, ne: function (a, b) { return !eq(a, b); },
    lt: function (a, b) { return num(a, b) && a < b; }, lte: function (a, b) { return num(a, b) && a <= b; },
    gt: function (a, b) { return num(a, b) && a > b; }, gte: function (a, b) { return num(a, b) && a >= b; },
    in: inn, not_in: function (a, b) { return Array.isArray(b) && !inn(a, b); },
    contains: function (a, b) {
      if (Array.isArray(a)) return a.indexOf(b) >= 0;
      return typeof a === "string" && typeof b === "string" && a.toLowerCase().indexOf(b.toLowerCase()) >= 0;
    }
  };
  function holds(c, A) {
    if ("all" in c) return c.all.every(function (x) { return holds(x, A); });
    if ("any" in c) return c.any.some(function (x) { return holds(x, A); });
    if ("not" in c) return !holds(c.not, A);
    var v = A[c.question];
    if (c.op === "answered") return isAns(v);
    if (c.op === "not_answered") return !isAns(v);
    return isAns(v) && OPS.hasOwnProperty(c.op) && OPS[c.op](cmp(v), c.value === undefined ? null : c.value);
  }
  function shown(x, A) { return !x.show_if || holds(x.show_if, A); }
  function index(P, id) { return P.map(function (p) { return p.id; }).indexOf(id); }
  function from(P, i, A) {
    var p = P.slice(i).filter(function (x) { return shown(x, A); })[0];
    return p ? p.id : null;
  }
  function nextPage(P, id, A) {
    var i = index(P, id), bs = P[i].branches || [];
    for (var j = 0; j < bs.length; j++) {
      if (bs[j].if && !holds(bs[j].if, A)) continue;
      if (bs[j].goto === "end") return null;
      if (index(P, bs[j].goto) >= 0) return from(P, index(P, bs[j].goto), A);
    }
    return from(P, i + 1, A);
  }
  function path(P, A) {
    var seen = [], id = from(P, 0, A);
    while (id !== null && seen.indexOf(id) < 0) { seen.push(id); id = nextPage(P, id, A); }
    return seen;
  }
  function onPage(P, id, A) {
    var p = P[index(P, id)];
    return p ? p.questions.filter(function (q) { return shown(q, A); }) : [];
  }
  function visible(P, A) {
    return path(P, A).reduce(function (all, id) { return all.concat(onPage(P, id, A)); }, []);
  }
  function missing(q, A) { // a required question unanswered (a matrix: any row)
    var v = A[q.id];
    if (!q.required) return false;
    if (q.type !== "matrix") return !isAns(v);
    return !v || typeof v !== "object" || Array.isArray(v) ||
      q.rows.some(function (row) { return !isAns(v[row.id]); });
  }
  function hidden(P, A) { // answers the path no longer shows; clearing one may hide another
    var kept = {}, cleared = [], k, ids, gone;
    for (k in A) kept[k] = A[k];
    for (;;) {
      ids = visible(P, kept).map(function (q) { return q.id; });
      gone = Object.keys(kept).filter(function (x) { return isAns(kept[x]) && ids.indexOf(x) < 0; });
      if (!gone.length) return cleared;
      gone.forEach(function (x) { kept[x] = null; cleared.push(x); });
    }
  }
  var flow = {
    isAnswered: isAns, evaluate: holds, isShown: shown, firstPage: function (P, A) { return from(P, 0, A); },
    nextPage: nextPage, path: path, shownOnPage: onPage, visibleQuestions: visible, isMissing: missing,
    hiddenAnswers: hidden
  };
  function pages() { return s.definition.pages; }

  // --- piping: {{answers.<id>|fallback}}; contact fields are not known here ---------------------

  function question(id) {
    var all = [];
    pages().forEach(function (p) { all = all.concat(p.questions); });
    return all.filter(function (q) { return q.id === id; })[0];
  }
  function label(q, id) {
    var c = (q && q.choices || []).filter(function (x) { return x.id === id; })[0];
    return c ? c.label : id;
  }
  function shownAnswer(id) {
    var v = answers[id], q = question(id);
    if (v == null) return "";
    if (Array.isArray(v)) return v.map(function (x) { return label(q, x); }).join(", ");
    if (typeof v === "object") {
      if (!v.choices) return v.other;
      return v.choices.map(function (x) { return label(q, x); }).concat(v.other || []).join(", ");
    }
    return typeof v === "string" ? label(q, v) : String(v);
  }
  function pipe(t) {
    return String(t || "").replace(/\{\{\s*([^}|]*?)\s*(?:\|([^}]*))?\}\}/g, function (m, path, fb) {
      var v = path.indexOf("answers.") === 0 ? shownAnswer(path.slice(8)) : "";
      return v !== "" ? v : (fb || "").trim();
    });
  }

  // --- rendering ---------------------------------------------------------------------------------

  function h(tag, attrs) {
    var e = d.createElement(tag), k, v;
    for (k in attrs || {}) {
      v = attrs[k];
      if (v == null || v === false) continue;
      if (k.slice(0, 2) === "on") e.addEventListener(k.slice(2), v);
      else if (k === "text") e.textContent = v;
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (k = 2; k < arguments.length; k++) if (arguments[k] != null) e.append(arguments[k]);
    return e;
  }

  function choice(type, name, value, text, cls) {
    return h("label", { class: cls || "c" },
      h("input", { type: type, name: name, value: value }), cls ? h("span", { text: text }) : text);
  }

  function field(q) {
    var id = "q-" + q.id, t = q.type, set, r, i;
    if (t === "open_text") {
      return h("div", null, h("label", { class: "q", for: id, text: pipe(q.text) }),
        h(q.multiline === false ? "input" : "textarea", {
          id: id, name: q.id, type: q.multiline === false ? "text" : null, rows: 3,
          maxlength: q.max_length || 2000, placeholder: q.placeholder, "aria-required": !!q.required && "true"
        }));
    }
    set = h("fieldset", { "data-q": q.id }, h("legend", { text: pipe(q.text) }));
    if (q.description) set.append(h("p", { text: pipe(q.description) }));
    if (t === "single_choice" || t === "multi_choice") {
      var kind = t === "single_choice" ? "radio" : "checkbox";
      q.choices.forEach(function (c) { set.append(choice(kind, q.id, c.id, c.label)); });
      if (q.allow_other) {
        set.append(choice(kind, q.id, "other", q.other_label || T.other),
          h("input", { type: "text", name: q.id + ".other", "aria-label": (q.other_label || T.other) + ": " + T.other_text }));
      }
    } else if (t === "matrix") {
      q.rows.forEach(function (row) {
        var sub = h("fieldset", null, h("legend", { text: row.label }));
        q.columns.forEach(function (c) { sub.append(choice("radio", q.id + "." + row.id, c.id, c.label)); });
        set.append(sub);
      });
    } else {
      r = [q.low, q.high]; // the server sends each scale's ends
      var sc = h("div", { class: "sc" }), n = r[1] - r[0] + 1;
      sc.style.setProperty("--c", n > 7 ? Math.ceil(n / 2) : n);
      for (i = r[0]; i <= r[1]; i++) sc.append(choice("radio", q.id, i, String(i), "o"));
      set.append(sc);
      if (q.low_label || q.high_label) {
        set.append(h("div", { class: "ends", "aria-hidden": "true" },
          h("span", { text: q.low_label || "" }), h("span", { text: q.high_label || "" })));
        sc.firstChild.firstChild.setAttribute("aria-label", r[0] + " " + (q.low_label || ""));
        sc.lastChild.firstChild.setAttribute("aria-label", r[1] + " " + (q.high_label || ""));
      }
    }
    return set;
  }

  function read(form, q) {
    var pick = function (n) {
      return Array.prototype.filter.call(form.querySelectorAll("input"), function (x) {
        return x.name === n && x.checked;
      }).map(function (x) { return x.value; });
    };
    var other = function () {
      var o = form.querySelector("input[name='" + q.id + ".other']");
      return o ? o.value.trim() : "";
    };
    var got = pick(q.id), t = q.type, v;
    if (t === "open_text") return (form.querySelector("#q-" + q.id).value || "").trim() || null;
    if (t === "matrix") {
      v = {};
      q.rows.forEach(function (row) { var c = pick(q.id + "." + row.id)[0]; if (c) v[row.id] = c; });
      return v;
    }
    if (t === "single_choice") return got[0] === "other" ? { other: other() } : got[0] || null;
    if (t === "multi_choice") {
      var ids = got.filter(function (x) { return x !== "other"; });
      return got.length > ids.length ? { choices: ids, other: other() } : ids;
    }
    return got.length ? Number(got[0]) : null;
  }

  function problem(q, v) {
    var one = {};
    one[q.id] = v;
    if (missing(q, one)) return T.answer_please;
    if (q.max_selected && cmp(v) && cmp(v).length > q.max_selected) return T.error_too_many.replace("{n}", q.max_selected);
    return "";
  }

  function render(id) {
    pageId = id;
    var p = pages()[index(pages(), id)], qs = onPage(pages(), id, answers);
    var go = h("button", { type: "submit", class: "go" });
    var label = function () { // as the answers on this page make the path go on or end
      go.textContent = nextPage(pages(), id, answers) ? T.next : T.submit;
    };
    var relabel = function () { collect(form, qs); label(); };
    var form = h("form", {
      novalidate: true, onsubmit: function (e) { e.preventDefault(); submit(form, qs); },
      onchange: relabel, oninput: relabel
    });
    if (p.title) form.append(h("p", { text: pipe(p.title) }));
    qs.forEach(function (q) { form.append(field(q)); });
    err = h("p", { class: "err", role: "alert" });
    label();
    form.append(err, go);
    body.replaceChildren(form);
  }

  function device() {
    var ua = navigator.userAgent;
    return /iPad|Tablet/i.test(ua) ? "tablet" : /Mobi|Android/i.test(ua) ? "mobile" : "desktop";
  }

  function collect(form, qs) { // the page's answers into `answers`; the first problem, if any
    var msg = "";
    qs.forEach(function (q) {
      var v = read(form, q);
      if (isAns(v)) answers[q.id] = v; else delete answers[q.id];
      msg = msg || problem(q, v);
    });
    return msg;
  }

  function submit(form, qs) {
    var msg = collect(form, qs);
    err.textContent = msg;
    if (msg) return;
    var next = nextPage(pages(), pageId, answers);
    hidden(pages(), answers).forEach(function (k) { delete answers[k]; });
    post("/surveys/" + encodeURIComponent(s.public_id) + "/responses", {
      id: rid, answers: answers, complete: !next, contact_external_id: contact, locale: s.lang,
      device_class: device(),
      page_url: location.href.slice(0, 2048), channel: channel, display_id: display
    }).then(function () {
      if (next) return render(next);
      done = true;
      body.replaceChildren(h("p", { role: "status", text: pipe(s.definition.thank_you) || T.thanks }));
      box.focus();
    }, function () { err.textContent = T.send_failed; });
  }

  function show(survey) {
    s = survey;
    answers = {};
    rid = uuid();
    done = false;
    T = s.words || {};
    post(wsPath("/displays"), who({ survey: s.public_id })).then(function (r) {
      display = r.id;
      var first = from(pages(), 0, answers);
      if (!first) return (busy = false);
      mount();
      render(first);
      box.focus();
    }, function () { busy = false; });
  }

  function mount() {
    before = d.activeElement;
    el = h("journeyscope-widget", {
      style: "position:fixed!important;right:16px!important;bottom:16px!important;" +
        "z-index:2147483647!important;display:block!important"
    });
    var root = el.attachShadow({ mode: "open" });
    body = h("div");
    box = h("div", {
      class: "box", role: "dialog", "aria-labelledby": "js-title", lang: s.lang, tabindex: "-1",
      onkeydown: function (e) { if (e.key === "Escape") close(); }
    }, h("h2", { id: "js-title", text: s.definition.title }),
    h("button", { type: "button", class: "x", "aria-label": T.close, text: "×", onclick: close }),
    s.definition.description ? h("p", { text: s.definition.description }) : null, body);
    root.append(h("style", { text: CSS }), box);
    d.body.append(el);
  }

  function close() {
    if (!done && display) post(wsPath("/displays/" + display + "/dismiss"), {}).catch(function () {});
    el.remove();
    display = null;
    busy = false;
    if (before && before.focus) before.focus();
  }

  // --- public API ------------------------------------------------------------------------------

  var api = {
    loaded: true,
    flow: Object.freeze(flow), // the survey logic the widget follows, for tests and debugging
    init: function (o) {
      o = o || {};
      ws = o.workspace;
      host = (o.host || host).replace(/\/+$/, "");
      if (o.contact) contact = String(o.contact);
      channel = o.channel === "in_app" ? "in_app" : "website";
      lang = o.lang || navigator.language || null;
      vid = visitor();
      watch();
      pageView();
    },
    track: function (event) { if (ws) check({ event: String(event) }); },
    identify: function (id) { contact = id == null ? null : String(id); },
    push: function (cmd) {
      if (typeof api[cmd[0]] === "function") api[cmd[0]].apply(api, [].slice.call(cmd, 1));
    }
  };
  w.journeyscope = api;
  if (queued && queued.length) [].slice.call(queued).forEach(api.push);
})(window, document);
