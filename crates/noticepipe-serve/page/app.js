// The page's only script: sends each dropped file to /v1/parse, shows the record's head
// fields and items (amounts, canonical unit names, warnings in Chinese with their codes),
// offers the record (JSON) and /v1/export's items.xlsx for download, and the report of
// every parsed file from /v1/report.
"use strict";

// The Chinese of every warning and error code: page/zh.json, put in place of the marker
// below when the service starts (crates/noticepipe-serve/src/page.rs). Each code has a label and, for
// the parser's known message forms, templates filled from the message's own values.
const ZH = /*ZH*/null;

// How an amount is meant (items[].quantities[].op).
const OPS = { "=": "", ">=": "不少于", ">": "多于", "<=": "不超过", "≈": "约", "range": "" };

const results = document.getElementById("results");
const keyRow = document.getElementById("key-row");
const keyInput = document.getElementById("api-key");
const reportRow = document.getElementById("report-row");
const reportButton = document.getElementById("report");
const reportState = document.getElementById("report-state");
let waitingForKey = [];
const parsed = []; // the files parsed, for the report

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v; else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c === null || c === undefined ? "" : c);
  return node;
}

function headers(file) {
  const h = { "X-Filename": encodeURIComponent(file.name) };
  if (keyInput.value) h["Authorization"] = "Bearer " + keyInput.value;
  return h;
}

function download(name, blob) {
  const a = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

function stem(name) {
  return name.replace(/\.[^.]*$/, "");
}

// A message in Chinese: the first template of its code whose pattern matches, filled from
// the message's values; else the code's label, with the message as written beside
// (`original`).
function chinese(table, code, message) {
  const entry = ZH[table][code];
  for (const t of (entry && entry.templates) || []) {
    const m = new RegExp(t.pattern).exec(message || "");
    if (m) {
      const text = t.text.replace(/\$(\d)/g, (_, i) => {
        const value = m[Number(i)] || "";
        return Object.prototype.hasOwnProperty.call(ZH.words, value) ? ZH.words[value] : value;
      });
      return { text, original: "" };
    }
  }
  return { text: entry ? entry.label : code, original: message || "" };
}

// A warning or error: its Chinese, its code beside, the message as written on hover (and
// shown, smaller, where no template put it in Chinese).
function coded(table, code, message) {
  const zh = chinese(table, code, message);
  const node = el("span", { class: "coded", title: message || "" },
    el("span", { class: "zh" }, zh.text), " ", el("code", { class: "code" }, code));
  if (zh.original) node.append(" ", el("span", { class: "original" }, "原文：" + zh.original));
  return node;
}

async function problemOf(response) {
  try {
    const p = await response.json();
    if (p && p.code) return p;
  } catch (_) { /* not a problem document */ }
  return { code: "HTTP " + response.status, detail: "" };
}

function problemLine(p) {
  const zh = chinese("errors", p.code, p.detail);
  return zh.text + "（" + p.code + "）" + (zh.original ? "\n原文：" + zh.original : "");
}

// Units as written, each with its canonical full name beside where that differs.
function unitCell(kind, names, canonical) {
  const cell = el("td", { class: kind });
  for (const name of names || []) {
    const full = canonical && canonical[name];
    const unit = el("span", { class: "unit" }, el("span", { class: "written" }, name));
    if (full && full !== name) {
      unit.dataset.canonical = full;
      unit.append(" ", el("span", { class: "canonical", title: "规范名称" }, "→ " + full));
    }
    cell.append(unit);
  }
  return cell;
}

function number(n) {
  return n === null || n === undefined ? "" : String(n);
}

// Each amount as written; what it was read as (value or range, unit, qualifier) on hover.
function quantityCell(quantities) {
  const cell = el("td", { class: "quantities" });
  for (const q of quantities || []) {
    const read = q.op === "range"
      ? number(q.value) + "–" + number(q.max) + " " + q.unit
      : (OPS[q.op] || "") + number(q.value) + " " + q.unit;
    cell.append(el("span", {
      class: "quantity", "data-value": number(q.value), "data-unit": q.unit, "data-op": q.op,
      title: "读作 " + read.trim() + "（value " + number(q.value) +
        (q.max === null || q.max === undefined ? "" : "，max " + number(q.max)) +
        "，unit " + (q.unit || "—") + "，op " + q.op + "）",
    }, q.text));
  }
  return cell;
}

function units(list) {
  return (list || []).join("、");
}

function show(section, file, record, text) {
  section.dataset.state = "done";
  section.querySelector(".state").textContent = "已解析，" + record.items.length + " 项";
  const head = el("dl", { class: "head" });
  const fields = [
    ["标题", record.title],
    ["发文字号", record.doc_number && record.doc_number.text],
    ["发文机关", units(record.issuers && record.issuers.length ? record.issuers : [record.issuer].filter(Boolean))],
    ["成文日期", record.date],
    ["格式", record.source.format + (record.source.pages ? "，" + record.source.pages + " 页" : "")],
  ];
  for (const [label, value] of fields) head.append(el("dt", {}, label), el("dd", {}, value || "—"));
  section.append(head);

  const byItem = new Map();
  const general = [];
  for (const w of record.warnings) {
    const node = coded("warnings", w.code, w.message);
    if (w.item === null || w.item === undefined) general.push(node);
    else byItem.set(w.item, (byItem.get(w.item) || []).concat(node));
  }
  if (general.length) {
    section.append(el("ul", { class: "warnings" }, ...general.map((g) => el("li", {}, g))));
  }

  const body = el("tbody");
  for (const item of record.items) {
    const notes = byItem.get(item.number) || [];
    body.append(el("tr", notes.length ? { class: "warn" } : {},
      el("td", { class: "number" }, String(item.number)),
      el("td", { class: "title" }, item.title),
      quantityCell(item.quantities),
      unitCell("lead", item.lead_units, item.canonical_units),
      unitCell("responsible", item.responsible_units, item.canonical_units),
      el("td", { class: "note" }, ...notes)));
  }
  section.append(el("table", { class: "items" },
    el("thead", {}, el("tr", {}, ...["序号", "实事名称", "数量", "牵头单位", "责任单位", "提示"].map((h) => el("th", {}, h)))),
    body));

  const json = el("button", { type: "button", class: "json" }, "下载 JSON");
  json.addEventListener("click", () =>
    download(stem(file.name) + ".json", new Blob([text], { type: "application/json" })));
  const xlsx = el("button", { type: "button", class: "xlsx" }, "下载 Excel（items.xlsx）");
  xlsx.addEventListener("click", async () => {
    const r = await fetch("/v1/export?table=items.xlsx", { method: "POST", headers: headers(file), body: file });
    if (r.ok) download(stem(file.name) + "-items.xlsx", await r.blob());
    else alert(problemLine(await problemOf(r)));
  });
  section.append(el("p", { class: "actions" }, json, xlsx));
}

async function parse(file) {
  const section = el("section", { class: "doc", "data-state": "working" },
    el("h2", {}, file.name, el("span", { class: "state" }, "正在解析…")));
  results.append(section);
  let response;
  try {
    response = await fetch("/v1/parse", { method: "POST", headers: headers(file), body: file });
  } catch (e) {
    response = null;
  }
  if (response && response.status === 401) {
    section.remove();
    keyRow.hidden = false;
    keyInput.focus();
    waitingForKey.push(file);
    return;
  }
  if (!response || !response.ok) {
    section.dataset.state = "failed";
    section.classList.add("failed");
    section.querySelector(".state").textContent = "无法解析";
    section.append(el("p", { class: "error" }, response ? coded("errors", ...codeAndDetail(await problemOf(response))) : "连接服务失败"));
    return;
  }
  const text = await response.text();
  show(section, file, JSON.parse(text), text);
  parsed.push(file);
  reportRow.hidden = false;
  reportState.className = "";
  reportState.textContent = "已解析 " + parsed.length + " 个文件";
}

function codeAndDetail(p) {
  return [p.code, p.detail];
}

// The report of every parsed file (the page `noticepipe report` writes), from /v1/report,
// downloaded: it is a self-contained page, opened from disk like any file.
async function report() {
  const form = new FormData();
  for (const file of parsed) form.append("file", file, file.name);
  const h = keyInput.value ? { Authorization: "Bearer " + keyInput.value } : {};
  reportButton.disabled = true;
  reportState.className = "";
  reportState.textContent = "正在生成报告…";
  try {
    const r = await fetch("/v1/report", { method: "POST", headers: h, body: form });
    if (r.ok) {
      download("noticepipe-report.html", await r.blob());
      reportState.textContent = "报告已下载（" + parsed.length + " 个文件），用浏览器打开即可";
    } else {
      reportState.textContent = "";
      reportState.className = "error";
      reportState.append(coded("errors", ...codeAndDetail(await problemOf(r))));
    }
  } catch (_) {
    reportState.textContent = "连接服务失败";
    reportState.className = "error";
  } finally {
    reportButton.disabled = false;
  }
}


async function parseAll(files) {
  for (const file of files) await parse(file); // one at a time: the service's slots are shared
}

const input = document.getElementById("file-input");
input.addEventListener("change", () => { parseAll([...input.files]); input.value = ""; });

const drop = document.getElementById("drop");
for (const type of ["dragenter", "dragover"]) {
  drop.addEventListener(type, (e) => { e.preventDefault(); drop.classList.add("over"); });
}
for (const type of ["dragleave", "drop"]) {
  drop.addEventListener(type, () => drop.classList.remove("over"));
}
drop.addEventListener("drop", (e) => { e.preventDefault(); parseAll([...e.dataTransfer.files]); });

reportButton.addEventListener("click", report);

document.getElementById("retry").addEventListener("click", () => {
  const files = waitingForKey;
  waitingForKey = [];
  keyRow.hidden = true;
  parseAll(files);
});
