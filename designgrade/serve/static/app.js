// designgrade playground: the editor, the updates while typing, the tabs.
// Every text that comes from a design is put in the page with textContent, never parsed
// as markup; the diagram is the renderer's escaped SVG, parsed as XML and cleaned again.
"use strict";

(function () {
  const DEBOUNCE_MS = 250;
  const $ = (id) => document.getElementById(id);
  const text = $("text");
  const gutter = $("gutter");

  const state = {
    path: "",          // the design's name in the served folder ("" for a new design)
    base: null,        // SHA-256 of the file as opened or last saved (null: a new design)
    confirmed: "",     // the path whose overwrite the candidate confirmed
    savedText: "",
    seq: 0,            // the last update sent
    shown: 0,          // the last update shown
    inFlight: false,
    timer: null,
    lines: 0,
    findings: [],
    marks: new Map(),  // line -> worst severity
    parseLine: 0,
    hasDiagram: false,
  };

  // ---------------------------------------------------------------- small helpers

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [key, value] of Object.entries(attrs)) {
        if (value === null || value === undefined || value === false) continue;
        if (key === "class") node.className = value;
        else if (key === "text") node.textContent = value;
        else node.setAttribute(key, value === true ? "" : String(value));
      }
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function setStatus(message, kind) {
    const status = $("status");
    status.textContent = message || "";
    status.className = "status" + (kind ? " " + kind : "");
  }

  function setNote(message, kind) {  // about files: opened, saved, not saved
    const note = $("file-note");
    note.textContent = message || "";
    note.className = "file-note" + (kind ? " " + kind : "");
  }

  function num(x) {
    if (x === null || x === undefined) return "–";
    return (Math.round(x * 10) / 10).toString();
  }

  async function api(method, url, body) {
    const options = { method, headers: { "X-Designgrade": "1" } };
    if (body !== undefined) {
      options.body = body;
      options.headers["Content-Type"] = "application/yaml; charset=utf-8";
    }
    const response = await fetch(url, options);
    const type = response.headers.get("content-type") || "";
    if (type.startsWith("application/json")) {
      const data = await response.json();
      return { status: response.status, data };
    }
    return { status: response.status, blob: await response.blob() };
  }

  function query(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, v);
    return q.toString();
  }

  // ---------------------------------------------------------------- the editor

  function lineHeight() {
    return parseFloat(getComputedStyle(text).lineHeight) || 20;
  }

  function renderGutter() {
    const count = text.value.split("\n").length;
    if (count !== state.lines) {
      const frag = document.createDocumentFragment();
      for (let i = 1; i <= count; i++) frag.append(el("div", { "data-line": i, text: i }));
      gutter.replaceChildren(frag);
      state.lines = count;
    }
    paintMarks();
    syncScroll();
  }

  function paintMarks() {
    for (const node of gutter.querySelectorAll(".mark")) {
      node.classList.remove("mark", "error", "warning", "info", "parse");
      node.removeAttribute("title");
    }
    for (const [line, info] of state.marks) {
      const node = gutter.children[line - 1];
      if (!node) continue;
      node.classList.add("mark", info.severity);
      node.title = info.messages.join("\n");
    }
    if (state.parseLine) {  // YAML may report an unclosed bracket just past the last line
      const node = gutter.children[Math.min(state.parseLine, gutter.children.length) - 1];
      if (node) node.classList.add("mark", "parse", "error");
    }
  }

  function syncScroll() {
    gutter.scrollTop = text.scrollTop;
  }

  function lineStart(line) {
    const value = text.value;
    let pos = 0;
    for (let i = 1; i < line; i++) {
      const next = value.indexOf("\n", pos);
      if (next < 0) return value.length;
      pos = next + 1;
    }
    return pos;
  }

  function goToLine(line, column) {
    line = Math.max(1, Math.min(line || 1, state.lines || 1));
    const start = lineStart(line);
    let end = text.value.indexOf("\n", start);
    if (end < 0) end = text.value.length;
    const caret = Math.min(start + Math.max((column || 1) - 1, 0), end);
    text.focus({ preventScroll: true });
    text.setSelectionRange(caret, end);
    const top = (line - 1) * lineHeight();
    if (top < text.scrollTop || top > text.scrollTop + text.clientHeight - 2 * lineHeight()) {
      text.scrollTop = Math.max(0, top - text.clientHeight / 3);
    }
    syncScroll();
    for (const node of gutter.querySelectorAll(".current")) node.classList.remove("current");
    const node = gutter.children[line - 1];
    if (node) node.classList.add("current");
  }

  function onKey(event) {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      save();
      return;
    }
    if (event.key === "Tab" && !event.ctrlKey && !event.altKey && !event.metaKey) {
      event.preventDefault();  // YAML indents with spaces
      const start = text.selectionStart;
      if (event.shiftKey) return;
      text.setRangeText("  ", start, text.selectionEnd, "end");
      onInput();
    }
  }

  function onInput() {
    renderGutter();
    markDirty();
    schedule();
  }

  function markDirty() {
    $("dirty").hidden = text.value === state.savedText;
  }

  // ---------------------------------------------------------------- updates

  function schedule(now) {
    clearTimeout(state.timer);
    state.timer = setTimeout(send, now ? 0 : DEBOUNCE_MS);
  }

  async function send() {
    if (state.inFlight) { state.pending = true; return; }
    state.inFlight = true;
    state.pending = false;
    const seq = ++state.seq;
    const params = query({ rubric: $("rubric").value, level: $("level").value, name: state.path || "design.yaml" });
    const started = performance.now();
    try {
      const { status, data } = await api("POST", "/api/update?" + params, text.value);
      if (seq >= state.shown) {
        state.shown = seq;
        if (data && status === 200) show(data, performance.now() - started);
        else setStatus((data && data.error) || `the server answered ${status}`, "bad");
      }
      if (data && data.diagram_pending) state.pending = true;
    } catch (err) {
      setStatus("cannot reach the designgrade server: is it still running?", "bad");
    } finally {
      state.inFlight = false;
      if (state.pending) schedule(false);
    }
  }

  function show(data, elapsed) {
    state.findings = data.findings || [];
    state.marks = new Map();
    for (const f of state.findings) {
      if (!f.line) continue;
      const prev = state.marks.get(f.line);
      const rank = { error: 3, warning: 2, info: 1 };
      const sev = f.acknowledged ? "info" : f.severity;
      const entry = prev || { severity: sev, messages: [] };
      if (rank[sev] > rank[entry.severity]) entry.severity = sev;
      entry.messages.push(`${f.number}. ${f.code} ${f.rule}: ${f.message}`);
      state.marks.set(f.line, entry);
    }
    state.parseLine = data.parse_error ? data.parse_error.line : 0;
    paintMarks();
    if (data.parse_error) {
      const p = data.parse_error;
      setStatus(`line ${p.line}:${p.column}: ${p.message}`, "bad");
    } else {
      const server = data.timings ? Math.round(data.timings.total_ms) : null;
      setStatus(`up to date${server !== null ? ` · ${server} ms on the server` : ""}`, "good");
    }
    showDiagram(data);
    showFindings(data);
    if (data.score) showScore(data.score);
    showQuestions(data.questions || []);
  }

  // ---------------------------------------------------------------- the diagram

  const DROP = new Set(["script", "foreignobject", "iframe", "object", "embed", "style"]);

  function cleanSvg(node) {
    for (const child of Array.from(node.children)) {
      if (DROP.has(child.localName.toLowerCase())) { child.remove(); continue; }
      cleanSvg(child);
    }
    for (const attr of Array.from(node.attributes)) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\u0000-\u0020]+/g, "").toLowerCase();
      if (name.startsWith("on")) node.removeAttribute(attr.name);
      else if ((name === "href" || name === "xlink:href") && (value.startsWith("javascript:")
               || (value.startsWith("data:") && !value.startsWith("data:image/")))) node.removeAttribute(attr.name);
    }
  }

  function showDiagram(data) {
    const note = $("diagram-note");
    const box = $("diagram");
    if (data.svg) {
      const doc = new DOMParser().parseFromString(data.svg, "image/svg+xml");
      const svg = doc.documentElement;
      if (svg && svg.localName === "svg" && !doc.querySelector("parsererror")) {
        cleanSvg(svg);
        box.replaceChildren(document.importNode(svg, true));
        state.hasDiagram = true;
        note.hidden = true;
        return;
      }
    }
    const message = data.diagram_note || (data.parse_error ? "the YAML does not parse" : "no diagram");
    note.textContent = state.hasDiagram ? `${message} (showing the last good diagram)` : message;
    note.hidden = false;
  }

  function onDiagramClick(event) {
    const link = event.target.closest("a");
    if (!link || !$("diagram").contains(link)) return;
    event.preventDefault();
    // A badge links to its finding (#dg-...), a row of the key to its badge (#a_badge-dg-...);
    // both sit in a group whose id names the finding too.
    const group = link.closest("g[id]");
    const names = [link.getAttribute("href"), link.getAttribute("xlink:href"), group && group.id]
      .map((v) => (v || "").replace(/^#/, "").replace(/^a_(badge|key)-/, ""));
    const anchor = names.find((v) => v.startsWith("dg-")) || "";
    const finding = state.findings.find((f) => f.anchor && f.anchor === anchor);
    if (finding) openFinding(finding, true);
  }

  // ---------------------------------------------------------------- findings

  function showFindings(data) {
    const list = $("findings");
    const items = [];
    for (const f of state.findings) {
      const sev = f.acknowledged ? "acknowledged" : f.severity;
      const where = el("button", { type: "button", class: "where", title: "Show this line in the editor",
                                   text: `line ${f.line}:${f.column}` });
      const head = el("div", { class: "head" },
        el("span", { class: `badge ${sev}`, text: f.number }),
        el("code", { class: "code", text: f.code }),
        el("span", { class: `sev ${sev}`, text: f.acknowledged ? "acknowledged" : f.severity }),
        el("span", { class: "rule", text: f.rule }),
        where);
      const body = [head, el("p", { class: "message", text: f.message })];
      if (f.acknowledged && f.reason) body.push(el("p", { class: "reason", text: "Your reason: " + f.reason }));
      if (f.fix) body.push(el("p", { class: "fix" }, el("strong", { text: "Fix: " }), f.fix));
      body.push(el("p", { class: "meta", text: `${f.pillar} · ${f.level}` + (f.component ? ` · ${f.component}` : "") }));
      const item = el("li", { class: `finding ${sev}`, "data-anchor": f.anchor || "", tabindex: "0" }, ...body);
      item.addEventListener("click", () => openFinding(f, false));
      item.addEventListener("keydown", (e) => { if (e.key === "Enter") openFinding(f, false); });
      items.push(item);
    }
    list.replaceChildren(...items);
    const c = data.counts || { error: 0, warning: 0, info: 0 };
    const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
    let summary = `${plural(c.error, "error")}, ${plural(c.warning, "warning")}, ${c.info} info at ${data.level || "?"}`;
    if (data.acknowledged) summary += `; ${data.acknowledged} acknowledged`;
    if (data.hidden) summary += `; ${data.hidden} more above ${data.level} (pick a higher level to see them)`;
    if (data.parse_error) summary = "The YAML does not parse: " + `line ${data.parse_error.line}:${data.parse_error.column}: ${data.parse_error.message}`;
    else if (!state.findings.length) summary = `No findings at ${data.level}. ` + (data.hidden ? summary : "");
    $("findings-summary").textContent = summary;
    $("findings-count").textContent = state.findings.length ? String(state.findings.length) : "";
    $("findings-count").className = "count" + (c.error ? " error" : c.warning ? " warning" : "");
  }

  function openFinding(f, fromDiagram) {
    for (const node of document.querySelectorAll(".finding.selected")) node.classList.remove("selected");
    const item = Array.from(document.querySelectorAll(".finding")).find((n) => n.dataset.anchor === (f.anchor || "") && f.anchor);
    if (fromDiagram) selectTab("findings");
    if (item) { item.classList.add("selected"); item.scrollIntoView({ block: "nearest" }); }
    goToLine(f.line, f.column);
  }

  // ---------------------------------------------------------------- score

  function meter(percent, min) {
    const bar = el("div", { class: "meter" });
    const fill = el("div", { class: "fill" });
    fill.style.width = `${Math.max(0, Math.min(100, percent || 0))}%`;
    bar.append(fill);
    if (min !== undefined && min !== null) {
      const mark = el("div", { class: "min", title: `bar: ${num(min)}%` });
      mark.style.left = `${Math.max(0, Math.min(100, min))}%`;
      bar.append(mark);
    }
    return bar;
  }

  function showScore(score) {
    const out = [];
    const verdicts = [];
    const chips = [];
    for (const [level, bar] of Object.entries(score.bars || {})) {
      const meets = (score.verdict || {})[level] === "meets";
      chips.push(el("span", { class: `chip ${meets ? "meets" : "below"}`,
                              text: `${level} ${meets ? "meets" : "below"}${bar.provisional ? "*" : ""}` }));
      const why = [];
      if (bar.below_min_score) why.push(`${num(bar.percent)}% of the points at ${level}, below the bar of ${num(bar.min_score)}%`);
      if ((bar.blocking || []).length) why.push("blocked by " + bar.blocking.join(", ") + " (must-pass, with an error)");
      if (!why.length) why.push(`${num(bar.percent)}% of the points at ${level}; the bar is ${num(bar.min_score)}%`);
      verdicts.push(el("div", { class: `barrow ${meets ? "meets" : "below"}` },
        el("div", { class: "label" }, el("strong", { text: `${level} bar` }), " ",
           el("span", { class: `chip ${meets ? "meets" : "below"}`, text: meets ? "meets" : "below" })),
        meter(bar.percent, bar.min_score),
        el("p", { class: "why", text: why.join("; ") })));
    }
    const total = el("p", { class: "total" }, el("strong", { text: `${num(score.points)}/${num(score.max)}` }),
                     score.percent !== null ? ` (${Math.round(score.percent)}%) on rubric ${score.rubric}` : "");
    out.push(total);
    if (score.capped) out.push(el("p", { class: "capped", text: `Capped at ${num(score.capped.at)}% (it would be ${num(score.capped.uncapped)}%) by ${score.capped.by.length === 1 ? "a blocker" : "blockers"}: ${score.capped.by.join(", ")}` }));
    out.push(...verdicts);
    out.push(el("h3", { text: "Sections" }));
    const sections = el("div", { class: "sections" });
    for (const s of score.sections || []) {
      const missed = (s.criteria || []).filter((c) => c.earned !== null && c.earned + 1e-9 < c.points);
      const row = el("div", { class: "section" },
        el("div", { class: "label" }, el("span", { text: s.title }), " ",
           el("span", { class: "pts", text: s.applicable ? `${num(s.points)}/${num(s.max)}` : "N/A" })),
        meter(s.applicable ? s.percent : 0));
      if (missed.length) {
        const ul = el("ul", { class: "missed" });
        for (const c of missed) {
          const why = c.fired.length ? c.fired.join(", ") : c.acknowledged.length ? "acknowledged: " + c.acknowledged.join(", ") : "";
          ul.append(el("li", {}, el("span", { text: `${c.title} ` }), el("span", { class: "pts", text: `${num(c.earned)}/${num(c.points)}` }),
                       why ? el("span", { class: "fired", text: ` — ${why}` }) : null));
        }
        row.append(ul);
      }
      sections.append(row);
    }
    out.push(sections);
    if (score.maturity) {
      const m = score.maturity;
      const next = (m.missing_for_next || []).length ? `; for level ${m.level + 1}: ${m.missing_for_next.join(", ")}` : "";
      out.push(el("p", { class: "maturity", text: m.level === null ? `MLOps maturity: ${m.name}` : `MLOps maturity: level ${m.level} (${m.name})${next}` }));
    }
    if ((score.unscored || []).length) out.push(el("p", { class: "note", text: `${score.unscored.length} manual criteria are left to the interviewer (verdicts marked * are provisional).` }));
    $("score").replaceChildren(...out);
    $("verdict").replaceChildren(...chips, el("span", { class: "pct", text: score.percent !== null ? `${Math.round(score.percent)}%` : "" }));
    $("score-count").textContent = score.percent !== null ? `${Math.round(score.percent)}%` : "";
  }

  // ---------------------------------------------------------------- questions

  function showQuestions(questions) {
    const items = questions.map((q) => el("li", { class: "question" },
      el("p", { class: "q", text: q.text.charAt(0).toUpperCase() + q.text.slice(1) }),
      el("p", { class: "covers" }, el("strong", { text: "A strong answer covers: " }), q.covers.join("; ")),
      el("p", { class: "meta", text: `${q.source} · ${q.level}` })));
    $("questions").replaceChildren(...items);
    $("questions-count").textContent = questions.length ? String(questions.length) : "";
  }

  // ---------------------------------------------------------------- tabs

  function selectTab(name) {
    for (const tab of document.querySelectorAll(".tab")) tab.setAttribute("aria-selected", String(tab.dataset.tab === name));
    for (const pane of document.querySelectorAll(".pane")) pane.hidden = pane.id !== "pane-" + name;
  }

  // ---------------------------------------------------------------- dialogs

  function ask(message, choices) {
    // choices: [{label, value, primary}] -> a promise of the value chosen (null: cancelled)
    return new Promise((resolve) => {
      const dialog = $("ask-dialog");
      $("ask-text").textContent = message;
      const buttons = choices.map((c) => {
        const b = el("button", { type: "button", class: c.primary ? "primary" : "", "data-choice": c.value, text: c.label });
        b.addEventListener("click", () => { dialog.close(); resolve(c.value); });
        return b;
      });
      const cancel = el("button", { type: "button", "data-choice": "cancel", text: "Cancel" });
      cancel.addEventListener("click", () => { dialog.close(); resolve(null); });
      $("ask-buttons").replaceChildren(...buttons, cancel);
      dialog.onclose = null;
      dialog.addEventListener("cancel", () => resolve(null), { once: true });
      dialog.showModal();
    });
  }

  // ---------------------------------------------------------------- files

  async function refreshFiles(select) {
    const { data } = await api("GET", "/api/files");
    const open = $("open");
    const options = [el("option", { value: "", text: data && data.files && data.files.length ? "Open…" : "Open… (no designs yet)" })];
    for (const f of (data && data.files) || []) options.push(el("option", { value: f.path, text: f.path }));
    open.replaceChildren(...options);
    open.value = select || "";
    return (data && data.files) || [];
  }

  function setDesign(path, content, base) {
    state.path = path;
    state.base = base;
    state.confirmed = "";
    state.savedText = base ? content : "";
    setNote("");
    $("path").value = path;
    text.value = content;
    text.scrollTop = 0;
    text.setSelectionRange(0, 0);
    state.hasDiagram = false;  // another design: the last one's picture is not its "last good" one
    $("diagram").replaceChildren(el("p", { class: "empty", text: "Drawing…" }));
    renderGutter();
    markDirty();
    schedule(true);
  }

  async function openFile(path) {
    if (!path) return;
    if (text.value !== state.savedText && text.value.trim()) {
      const choice = await ask("Your changes are not saved. Open another design anyway?", [{ label: "Discard and open", value: "open", primary: true }]);
      if (choice !== "open") { $("open").value = ""; return; }
    }
    const { status, data } = await api("GET", "/api/file?" + query({ path }));
    if (status !== 200) { setNote(data.error, "bad"); $("open").value = ""; return; }
    setDesign(data.path, data.text, data.sha256);
    history.replaceState(null, "", "#file=" + encodeURIComponent(data.path));
    $("open").value = "";
  }

  async function save(extra) {
    const path = $("path").value.trim();
    if (!path) { setNote("name the design first (the box at the top, e.g. my-design.yaml)", "bad"); $("path").focus(); return; }
    const sameFile = path === state.path && state.base;
    const params = { path, base: sameFile ? state.base : "", overwrite: (state.confirmed === path) ? "1" : "", ...(extra || {}) };
    const { status, data } = await api("POST", "/api/save?" + query(params), text.value);
    if (status === 200) {
      state.path = data.path;
      state.base = data.sha256;
      state.confirmed = data.path;
      state.savedText = text.value;
      markDirty();
      setNote(`saved ${data.path}`, "good");
      history.replaceState(null, "", "#file=" + encodeURIComponent(data.path));
      refreshFiles();
      return;
    }
    if (status === 409 && data.conflict === "exists") {
      const choice = await ask(`${path} already exists in the served folder. Overwrite it with what is in the editor?`,
                               [{ label: "Overwrite", value: "overwrite", primary: true }]);
      if (choice === "overwrite") { state.confirmed = path; return save({ overwrite: "1" }); }
      setNote("not saved", "bad");
      return;
    }
    if (status === 409 && data.conflict === "changed") {
      const choice = await ask(`${path} changed on disk since you opened it (another editor?). Reload it and lose your edits, or overwrite it with your version?`,
                               [{ label: "Reload from disk", value: "reload" }, { label: "Overwrite with mine", value: "force", primary: true }]);
      if (choice === "force") { state.confirmed = path; return save({ overwrite: "1", force: "1" }); }
      if (choice === "reload") { state.savedText = ""; text.value = ""; return openFileForce(path); }
      setNote("not saved: the file on disk is newer", "bad");
      return;
    }
    setNote(`not saved: ${(data && data.error) || status}`, "bad");
  }

  async function openFileForce(path) {
    const { status, data } = await api("GET", "/api/file?" + query({ path }));
    if (status !== 200) { setNote(data.error, "bad"); return; }
    setDesign(data.path, data.text, data.sha256);
  }

  async function newDesign() {
    const dialog = $("starter-dialog");
    dialog.showModal();
  }

  async function startStarter(event) {
    event.preventDefault();
    $("starter-dialog").close();
    if (text.value !== state.savedText && text.value.trim()) {
      const choice = await ask("Your changes are not saved. Start a new design anyway?", [{ label: "Discard and start", value: "new", primary: true }]);
      if (choice !== "new") return;
    }
    const { status, data } = await api("GET", "/api/starter?" + query({ task: $("starter-task").value, title: $("starter-title").value }));
    if (status !== 200) { setNote(data.error, "bad"); return; }
    setDesign("", data.text, null);
    $("path").value = data.name;
    history.replaceState(null, "", location.pathname);
  }

  async function download(fmt) {
    if (!fmt) return;
    $("download").value = "";
    const name = (state.path || $("path").value || "design.yaml").split("/").pop();
    setNote(`preparing the ${fmt.toUpperCase()}…`);
    const result = await api("POST", "/api/export?" + query({ fmt, rubric: $("rubric").value, level: $("level").value, name }), text.value);
    if (result.status !== 200 || !result.blob) { setNote(`cannot download: ${(result.data && result.data.error) || result.status}`, "bad"); return; }
    const stem = name.replace(/\.ya?ml$/i, "") || "design";
    const link = el("a", { href: URL.createObjectURL(result.blob), download: `${stem}.${fmt}` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    setNote(`downloaded ${stem}.${fmt}`, "good");
  }

  // ---------------------------------------------------------------- start

  async function start() {
    text.addEventListener("input", onInput);
    text.addEventListener("scroll", syncScroll);
    text.addEventListener("keydown", onKey);
    document.addEventListener("keydown", (e) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "s") { e.preventDefault(); save(); }
    });
    gutter.addEventListener("click", (e) => {
      const line = Number(e.target.dataset && e.target.dataset.line);
      if (!line) return;
      const f = state.findings.find((x) => x.line === line);
      if (f) openFinding(f, false); else goToLine(line, 1);
      if (f) selectTab("findings");
    });
    for (const tab of document.querySelectorAll(".tab")) tab.addEventListener("click", () => selectTab(tab.dataset.tab));
    $("diagram").addEventListener("click", onDiagramClick);
    $("zoom").addEventListener("click", () => {
      const box = $("diagram");
      box.classList.toggle("fit");
      $("zoom").textContent = box.classList.contains("fit") ? "Full size" : "Fit width";
    });
    $("rubric").addEventListener("change", () => schedule(true));
    $("level").addEventListener("change", () => schedule(true));
    $("open").addEventListener("change", () => openFile($("open").value));
    $("save").addEventListener("click", () => save());
    $("new").addEventListener("click", newDesign);
    $("starter-form").addEventListener("submit", startStarter);
    $("starter-cancel").addEventListener("click", () => $("starter-dialog").close());
    $("download").addEventListener("change", () => download($("download").value));
    window.addEventListener("beforeunload", (e) => {
      if (text.value !== state.savedText && text.value.trim()) { e.preventDefault(); e.returnValue = ""; }
    });
    const files = await refreshFiles();
    const wanted = decodeURIComponent((location.hash.match(/^#file=(.+)$/) || [])[1] || "");
    if (wanted) await openFile(wanted);
    else if (files.length) await openFile(files[0].path);
    else {
      const { data } = await api("GET", "/api/starter?" + query({ task: $("starter-task").value }));
      if (data && data.text) { setDesign("", data.text, null); $("path").value = data.name; }
    }
  }

  document.addEventListener("DOMContentLoaded", start);
})();
