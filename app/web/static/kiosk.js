// The kiosk (/kiosk) and the reopened plan (/plan). No framework, no build step, no inline
// script: the page gives its settings in data-* attributes and its words in a JSON block.
// State lives in this page's memory only (no cookies, no storage), and is wiped after the
// idle time or when the citizen starts over.
(function () {
  "use strict";
  var body = document.body;
  var $ = function (id) { return document.getElementById(id); };

  function postJson(url, data, accept) {
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: accept || "application/json" },
      body: JSON.stringify(data),
      credentials: "omit",
      cache: "no-store",
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return accept === "text/html" ? response.text() : response.json();
    });
  }

  // --- sharing: the request travels in the URL fragment, never to a server log ----------
  function fromBase64Url(text) {
    var plain = text.replace(/-/g, "+").replace(/_/g, "/");
    var binary = atob(plain + "===".slice((plain.length + 3) % 4));
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }
  function decodeFragment(hash) {
    var text = hash.replace(/^#/, "");
    if (text.indexOf("p1.") !== 0) return Promise.reject(new Error("no plan"));
    var stream = new Blob([fromBase64Url(text.slice(3))]).stream()
      .pipeThrough(new DecompressionStream("deflate-raw"));
    return new Response(stream).text().then(JSON.parse);
  }

  function reopen() {
    var target = $("plan-body");
    decodeFragment(location.hash)
      .then(function (request) {
        if (request.locale) document.documentElement.lang = request.locale;
        return postJson(body.dataset.planUrl, { request: request, view: "full" }, "text/html");
      })
      .then(function (html) { target.innerHTML = html; $("plan-title").focus(); })
      .catch(function () { target.innerHTML = ""; $("reopen-missing").hidden = false; });
  }

  if (body.dataset.reopen === "true") { reopen(); return; }
  if (!body.classList.contains("kiosk")) return;

  // --- the kiosk ------------------------------------------------------------------------
  var strings = JSON.parse($("kiosk-strings").textContent);
  var state;

  function fresh() {
    return { locale: body.dataset.defaultLocale, profile: {}, skip: [], history: [],
      current: null, screen: "start" };
  }

  function word(key, args) {
    var text = (strings[state.locale] || strings.ko).words[key] || strings.ko.words[key] || key;
    return text.replace(/\{(\w+)\}/g, function (_, name) {
      return args && name in args ? String(args[name]) : "{" + name + "}";
    });
  }

  function applyWords() {
    document.documentElement.lang = state.locale;
    document.title = word("title.kiosk");
    document.querySelectorAll("[data-word]").forEach(function (el) {
      el.textContent = word(el.dataset.word);
    });
    document.querySelectorAll("[data-word-label]").forEach(function (el) {
      el.setAttribute("aria-label", word(el.dataset.wordLabel));
    });
    document.querySelectorAll("button.lang").forEach(function (el) {
      el.setAttribute("aria-pressed", String(el.dataset.locale === state.locale));
    });
  }

  function show(screen) {
    state.screen = screen;
    ["start", "question", "plan"].forEach(function (name) {
      $("screen-" + name).hidden = name !== screen;
    });
  }

  function setStatus(text) { $("status").textContent = text; }

  // profile paths: "applicant.age", "members[0].age", "household.receives"
  function setPath(target, path, value) {
    var parts = path.replace(/\[(\d+)\]/g, ".$1").split(".");
    var node = target;
    for (var i = 0; i < parts.length - 1; i++) {
      var key = parts[i];
      if (node[key] === undefined) node[key] = /^\d+$/.test(parts[i + 1]) ? [] : {};
      node = node[key];
    }
    node[parts[parts.length - 1]] = value;
  }

  function request(extra) {
    var data = { profile: state.profile, skip: state.skip, locale: state.locale };
    for (var key in extra) data[key] = extra[key];
    return data;
  }

  function fetchNext() {
    setStatus(word("kiosk.loading"));
    // a step shows the question and the counts: the provisional plan is left out
    return postJson(body.dataset.questionsUrl, request({ include_plan: false }))
      .then(function (answer) {
        state.current = answer;
        setStatus("");
        if (answer.done || !answer.questions.length) return showPlan();
        renderQuestion();
      });
  }

  function remember() {
    state.history.push({ profile: JSON.stringify(state.profile), skip: state.skip.slice(),
      current: state.current });
  }

  function restore(entry) {
    state.profile = JSON.parse(entry.profile);
    state.skip = entry.skip;
    state.current = entry.current;
  }

  function advance(change) {
    remember();
    change();
    fetchNext().catch(function () {
      restore(state.history.pop());
      renderQuestion();
      $("answer-error").textContent = word("kiosk.invalid");
    });
  }

  function question() { return state.current.questions[0]; }

  function optionButton(label, pressed, onClick) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "option";
    button.textContent = label;
    if (pressed !== null) button.setAttribute("aria-pressed", String(pressed));
    button.addEventListener("click", onClick);
    return button;
  }

  function toggle(button) {
    button.setAttribute("aria-pressed", String(button.getAttribute("aria-pressed") !== "true"));
  }

  function pressedValues(container) {
    return Array.prototype.filter.call(container.querySelectorAll(".option[data-index]"),
      function (b) { return b.getAttribute("aria-pressed") === "true"; })
      .map(function (b) { return question().options[Number(b.dataset.index)].value; });
  }

  function answerMultiple(values) {
    var q = question();
    advance(function () {
      if (q.type === "checklist") {
        q.options.forEach(function (o) { setPath(state.profile, o.value, values.indexOf(o.value) >= 0); });
      } else {
        setPath(state.profile, q.fact, values);
      }
    });
  }

  function numberInput(q, type) {
    var label = document.createElement("label");
    label.htmlFor = "answer-input";
    label.textContent = word(type === "date" ? "kiosk.date" : type === "money" ? "kiosk.amount" : "kiosk.number");
    var input = document.createElement("input");
    input.id = "answer-input";
    input.type = type === "date" ? "date" : "text";
    if (type !== "date") { input.inputMode = "numeric"; input.autocomplete = "off"; }
    return [label, input];
  }

  function renderAnswer(q, box) {
    var multiple = q.type === "set" || q.type === "checklist";
    box.classList.toggle("many", q.options.length > 6);
    if (q.options.length && !multiple) {
      q.options.forEach(function (o) {
        box.appendChild(optionButton(o.label, null, function () {
          advance(function () { setPath(state.profile, q.fact, o.value); });
        }));
      });
      return;
    }
    if (multiple) {
      q.options.forEach(function (o, i) {
        var b = optionButton(o.label, false, function () { toggle(b); });
        b.dataset.index = String(i);
        box.appendChild(b);
      });
      box.appendChild(optionButton(word("kiosk.none"), null, function () { answerMultiple([]); }));
      return;
    }
    numberInput(q, q.type).forEach(function (el) { box.appendChild(el); });
    if (q.type === "money") {
      var bands = document.createElement("div");
      bands.className = "bands";
      var kind = q.unit === "KRW_monthly" ? "monthly" : "stock";
      (strings[state.locale] || strings.ko).bands[kind].forEach(function (band) {
        bands.appendChild(optionButton(band.label, null, function () {
          var value = band.max === 0 ? 0 : { min: band.min, max: band.max };
          if (band.max === null) value = { min: band.min };
          advance(function () { setPath(state.profile, q.fact, value); });
        }));
      });
      box.appendChild(bands);
    }
  }

  function renderQuestion() {
    var q = question();
    var counts = state.current.counts;
    var total = counts.eligible + counts.needs_info + counts.ineligible + counts.excluded +
      (counts.receiving || 0);
    var settled = total - state.current.undecided;
    show("question");
    $("progress-text").textContent = word("kiosk.progress", { n: state.history.length + 1 });
    $("settled-text").textContent = word("kiosk.settled", { settled: settled, total: total });
    $("progress").max = total;
    $("progress").value = settled;
    $("question-text").textContent = q.text;
    $("answer-error").textContent = "";
    var box = $("answer");
    box.textContent = "";
    renderAnswer(q, box);
    var typed = q.type === "set" || q.type === "checklist" || !q.options.length;
    $("next").hidden = !typed;
    $("back").disabled = state.history.length === 0;
    $("question-text").focus();
  }

  function submitTyped(event) {
    event.preventDefault();
    var q = question();
    if (q.type === "set" || q.type === "checklist") return answerMultiple(pressedValues($("answer")));
    var input = $("answer-input");
    var raw = input ? input.value.replace(/[,\s원]/g, "") : "";
    var value = q.type === "date" ? raw : Number(raw);
    if (!raw || (q.type !== "date" && !(Number.isInteger(value) && value >= 0))) {
      $("answer-error").textContent = word("kiosk.invalid");
      if (input) input.focus();
      return;
    }
    advance(function () { setPath(state.profile, q.fact, value); });
  }

  function unknown() {
    var q = question();
    var paths = q.type === "checklist" ? q.options.map(function (o) { return o.value; }) : [q.fact];
    advance(function () { state.skip = state.skip.concat(paths); });
  }

  function back() {
    if (state.screen === "plan" && state.current && !state.current.done) return renderQuestion();
    if (!state.history.length) return;
    restore(state.history.pop());
    renderQuestion();
  }

  function showPlan() {
    setStatus(word("kiosk.loading"));
    var planRequest = { profile: state.profile, locale: state.locale };
    return postJson(body.dataset.planUrl, { request: planRequest, view: "kiosk" }, "text/html")
      .then(function (html) {
        $("plan-body").innerHTML = html;
        show("plan");
        setStatus("");
        $("plan-back").disabled = state.history.length === 0 && state.current.done;
        $("plan-title").focus();
      });
  }

  function switchLanguage(locale) {
    state.locale = locale;
    applyWords();
    if (state.screen === "question") fetchNext().catch(function () { setStatus(word("kiosk.error")); });
    if (state.screen === "plan") showPlan().catch(function () { setStatus(word("kiosk.error")); });
  }

  // --- wiping: after the idle time, and on "start over" -----------------------------------
  var idleTimer = null;
  var warnTimer = null;

  function wipe() {
    var dialog = $("idle-dialog");
    if (dialog.open) dialog.close();
    state = fresh();
    $("plan-body").textContent = "";
    $("answer").textContent = "";
    $("question-text").textContent = "";
    $("answer-error").textContent = "";
    setStatus("");
    body.classList.remove("large", "contrast");
    $("text-size").setAttribute("aria-pressed", "false");
    $("contrast").setAttribute("aria-pressed", "false");
    history.replaceState(null, "", location.pathname);
    applyWords();
    show("start");
    $("start-title").focus();
    armIdle();
  }

  function armIdle() {
    clearTimeout(idleTimer);
    clearTimeout(warnTimer);
    var seconds = Number(body.dataset.idleSeconds) || 120;
    var warning = Math.min(Number(body.dataset.idleWarningSeconds) || 20, seconds / 2);
    warnTimer = setTimeout(function () {
      if (state.screen !== "start" || state.locale !== body.dataset.defaultLocale) $("idle-dialog").showModal();
    }, (seconds - warning) * 1000);
    idleTimer = setTimeout(wipe, seconds * 1000);
  }

  function failed() { setStatus(word("kiosk.error")); }

  function start() {
    state.history = [];
    fetchNext().catch(failed);
  }

  function pressToggle(button, className) {
    toggle(button);
    body.classList.toggle(className, button.getAttribute("aria-pressed") === "true");
  }

  state = fresh();
  $("start").addEventListener("click", start);
  $("answer-form").addEventListener("submit", submitTyped);
  $("unknown").addEventListener("click", unknown);
  $("back").addEventListener("click", back);
  $("plan-back").addEventListener("click", back);
  $("finish").addEventListener("click", function () { showPlan().catch(failed); });
  $("print").addEventListener("click", function () { window.print(); });
  $("restart").addEventListener("click", wipe);
  $("idle-continue").addEventListener("click", function () { $("idle-dialog").close(); armIdle(); });
  $("text-size").addEventListener("click", function () { pressToggle(this, "large"); });
  $("contrast").addEventListener("click", function () { pressToggle(this, "contrast"); });
  document.querySelectorAll("button.lang").forEach(function (el) {
    el.addEventListener("click", function () { switchLanguage(el.dataset.locale); });
  });
  ["pointerdown", "keydown", "input", "touchstart"].forEach(function (name) {
    document.addEventListener(name, armIdle, { passive: true });
  });
  armIdle();
})();
