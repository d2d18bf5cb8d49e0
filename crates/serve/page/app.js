// The page's only script: sends each dropped file to /v1/parse, shows the record's head
// fields and items, and offers the record (JSON) and /v1/export's items.xlsx for download.
"use strict";

const ERRORS = {
  empty: "文件是空的",
  not_text: "不是可识别的文本",
  unsupported_format: "不支持的文件格式",
  corrupt_zip: "压缩包已损坏",
  corrupt_docx: "DOCX 文件已损坏",
  corrupt_pdf: "PDF 文件已损坏",
  corrupt_ofd: "OFD 文件已损坏",
  corrupt_doc: "DOC/WPS 文件已损坏",
  too_large: "文件太大，超出服务的限制",
  encrypted: "文件已加密，需要密码",
  no_text_layer: "扫描件（没有文字层），需要先做文字识别",
  no_content: "网页中没有正文",
  extract_panic: "解析时出错",
  extract_crash: "解析进程崩溃",
  timeout: "处理超时",
  io: "服务无法处理",
  bad_request: "请求无法识别",
  unauthorized: "API 密钥缺失或不正确",
  busy: "服务繁忙，请稍后再试",
  internal: "服务内部错误",
};

const WARNINGS = {
  units_mismatch: "单位与附件表不一致",
  name_mismatch: "名称与附件表不一致",
  numbering_gap: "序号不连续",
  numbering_duplicate: "序号重复",
  missing_units: "未写明责任单位",
  missing_date: "没有成文日期",
  no_items: "没有找到实事事项",
  extension_mismatch: "扩展名与内容不符",
  items_uncertain: "事项划分不确定",
  ocr_low_confidence: "识别置信度低，请对照扫描件",
  count_mismatch: "事项数与文中所述不符",
  orphan_note: "有责任单位注无所属事项",
  merged_row: "表格行疑似合并",
  field_from_metadata: "字段取自页面元数据",
  metadata_mismatch: "元数据与正文不一致",
};

const results = document.getElementById("results");
const keyRow = document.getElementById("key-row");
const keyInput = document.getElementById("api-key");
let waitingForKey = [];

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

async function problemText(response) {
  try {
    const p = await response.json();
    return (ERRORS[p.code] || p.title) + "（" + p.code + "）：" + p.detail;
  } catch (_) {
    return "HTTP " + response.status;
  }
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
    const line = (WARNINGS[w.code] || w.code) + "：" + w.message;
    if (w.item === null || w.item === undefined) general.push(line);
    else byItem.set(w.item, (byItem.get(w.item) || []).concat(line));
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
      el("td", { class: "lead" }, units(item.lead_units)),
      el("td", { class: "responsible" }, units(item.responsible_units)),
      el("td", { class: "note" }, notes.join("；"))));
  }
  section.append(el("table", { class: "items" },
    el("thead", {}, el("tr", {}, ...["序号", "实事名称", "牵头单位", "责任单位", "提示"].map((h) => el("th", {}, h)))),
    body));

  const json = el("button", { type: "button", class: "json" }, "下载 JSON");
  json.addEventListener("click", () =>
    download(stem(file.name) + ".json", new Blob([text], { type: "application/json" })));
  const xlsx = el("button", { type: "button", class: "xlsx" }, "下载 Excel（items.xlsx）");
  xlsx.addEventListener("click", async () => {
    const r = await fetch("/v1/export?table=items.xlsx", { method: "POST", headers: headers(file), body: file });
    if (r.ok) download(stem(file.name) + "-items.xlsx", await r.blob());
    else alert(await problemText(r));
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
    section.append(el("p", { class: "error" }, response ? await problemText(response) : "连接服务失败"));
    return;
  }
  const text = await response.text();
  show(section, file, JSON.parse(text), text);
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

document.getElementById("retry").addEventListener("click", () => {
  const files = waitingForKey;
  waitingForKey = [];
  keyRow.hidden = true;
  parseAll(files);
});
