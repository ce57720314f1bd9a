"""The preview page of `kaskkiri watch`: one static HTML file that draws the state it is sent.

The page holds no data of its own: it opens `/sundmused` (Server-Sent Events) and redraws from
each state it receives. Every text from the definitions is put in with `textContent`, never as
markup. No network beyond this server: no fonts, scripts or styles from elsewhere.
"""

from __future__ import annotations

PAGE = """<!DOCTYPE html>
<html lang="et">
<head>
<meta charset="utf-8">
<title>Eelvaade: kaskkiri</title>
<style>
body { font-family: sans-serif; margin: 0; color: #222; background: #f6f6f4; }
header { background: #24384f; color: #fff; padding: .6em 1em; position: sticky; top: 0; z-index: 1; }
header h1 { font-size: 1.1em; margin: 0; }
#olek { font-size: .9em; margin-top: .2em; }
#olek.viga { color: #ffb4a8; }
main { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1em; padding: 1em; }
section.box { background: #fff; border: 1px solid #ddd; border-radius: 4px; padding: .6em 1em; margin-bottom: 1em; }
h2 { font-size: 1em; margin: .2em 0 .5em; }
#viga { border: 2px solid #b3261e; background: #fff1ef; margin: 1em 1em 0; padding: .6em 1em; border-radius: 4px; }
#viga ul { margin: .3em 0; padding-left: 1.2em; }
#viga .koht { font-family: monospace; font-weight: bold; }
#tekst.aegunud article { opacity: .55; }
#tekst-markus { color: #b3261e; font-size: .9em; }
article.dokument { background: #fff; border: 1px solid #ddd; border-radius: 4px; padding: .6em 1.2em;
  margin-bottom: 1em; }
article.dokument h2 .fail { font-weight: normal; color: #666; font-size: .85em; }
article.dokument p { margin: .35em 0; line-height: 1.35; }
article.dokument p .silt { font-weight: bold; margin-right: .4em; }
article.dokument ul { margin: .2em 0 .5em; }
#leiud li { margin: .3em 0; font-size: .9em; }
#leiud .raskus { font-weight: bold; text-transform: uppercase; font-size: .8em; }
#leiud li.viga .raskus { color: #b3261e; }
#leiud li.hoiatus .raskus { color: #8a5a00; }
#leiud .koht { font-family: monospace; color: #444; }
#failid li { font-size: .9em; }
iframe#pdf { width: 100%; height: 70vh; border: 1px solid #ccc; background: #fff; }
.ootel { color: #666; font-style: italic; }
</style>
</head>
<body>
<header>
  <h1 id="pealkiri">Eelvaade</h1>
  <div id="olek">Ühendun…</div>
</header>
<div id="viga" hidden>
  <h2 id="viga-pealkiri">Viga</h2>
  <ul id="viga-read"></ul>
  <div>Paranda nimetatud fail ja salvesta: eelvaade uueneb ise.</div>
</div>
<main>
  <div>
    <div id="tekst-markus" hidden>Näitan viimase õnnestunud koostamise teksti.</div>
    <div id="tekst"></div>
  </div>
  <div>
    <section class="box">
      <h2>Kontrolli leiud <span id="leidude-arv"></span></h2>
      <div id="leiud-olek" class="ootel"></div>
      <ul id="leiud"></ul>
    </section>
    <section class="box">
      <h2>Failid (output/)</h2>
      <div id="failid-olek" class="ootel"></div>
      <ul id="failid"></ul>
      <iframe id="pdf" name="pdf" title="PDF" hidden></iframe>
    </section>
  </div>
</main>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}
function drawText(s) {
  const box = $("tekst");
  box.replaceChildren();
  for (const doc of s.documents || []) {
    const a = el("article", "dokument");
    a.id = doc.id;
    const h = el("h2", null, doc.title + " ");
    h.append(el("span", "fail", doc.file || ""));
    a.append(h);
    for (const b of doc.blocks) {
      const p = el("p");
      if (b.label) p.append(el("span", "silt", b.label));
      p.append(document.createTextNode(b.text));
      a.append(p);
      if (b.items.length) {
        const ul = el("ul");
        for (const item of b.items) ul.append(el("li", null, item));
        a.append(ul);
      }
    }
    box.append(a);
  }
  box.classList.toggle("aegunud", !!s.text_stale);
  $("tekst-markus").hidden = !(s.text_stale && (s.documents || []).length);
}
function drawError(s) {
  const box = $("viga");
  box.hidden = !s.error;
  $("viga-read").replaceChildren();
  if (!s.error) return;
  $("viga-pealkiri").textContent = s.error.problems.length === 1 ? "Viga" : "Vead (" + s.error.problems.length + ")";
  for (const p of s.error.problems) {
    const li = el("li");
    li.dataset.koht = p.where;
    if (p.where) { li.append(el("span", "koht", p.where)); li.append(document.createTextNode(": ")); }
    li.append(document.createTextNode(p.message));
    $("viga-read").append(li);
  }
}
function drawFindings(s) {
  const list = $("leiud");
  list.replaceChildren();
  const state = $("leiud-olek");
  if (s.findings_error) {
    state.textContent = "Kontroll ebaõnnestus: " + s.findings_error.problems.map((p) => p.line).join("; ");
  } else if (s.findings_pending) {
    state.textContent = s.findings ? "Kontrollin uuesti…" : "Kontrollin…";
  } else {
    state.textContent = s.findings && !s.findings.length ? "Leide pole." : "";
  }
  $("leidude-arv").textContent = s.findings ? "(" + s.findings.length + ")" : "";
  for (const f of s.findings || []) {
    const li = el("li", "leid " + f.severity);
    li.append(el("span", "raskus", f.severity), document.createTextNode(" "));
    li.append(document.createTextNode(f.annex ? "lisa " + f.annex + " " : "käskkiri "));
    if (f.where) li.append(el("span", "koht", f.where), document.createTextNode(" "));
    li.append(document.createTextNode("[" + f.kind + "] " + f.message));
    if (f.accepted) li.append(document.createTextNode(" (aktsepteeritud: " + f.accepted + ")"));
    list.append(li);
  }
}
function drawFiles(s) {
  const list = $("failid");
  list.replaceChildren();
  const notes = [];
  if (s.phase === "koostan" || s.phase === "loen") {
    notes.push(s.word_only ? "Koostan Wordi faile…" : "Koostan Wordi faile ja PDF-e…");
  }
  if (s.word_only) notes.push("PDF-e ei koostata (--ainult-word).");
  for (const n of s.notes || []) notes.push(n);
  $("failid-olek").textContent = notes.join(" ");
  // The PDF shown: the one last clicked, else the first; reloaded when a build changes it.
  const chosen = $("pdf").dataset.nimi;
  let shown = null;
  for (const f of s.files || []) {
    const li = el("li");
    const a = el("a", null, f.name);
    a.href = "/fail/" + encodeURIComponent(f.name) + "?v=" + f.sha256.slice(0, 16);
    if (f.name.endsWith(".pdf")) {
      a.target = "pdf";
      a.dataset.nimi = f.name;
      if (!shown || f.name === chosen) shown = a.href;
    }
    li.append(a);
    list.append(li);
  }
  const frame = $("pdf");
  frame.hidden = !shown;
  if (shown && frame.src !== shown) frame.src = shown;
}
function draw(s) {
  document.body.dataset.version = s.version;
  document.body.dataset.phase = s.phase;
  $("pealkiri").textContent = "Eelvaade: käskkiri " + s.directive + (s.title ? ", " + s.title : "")
    + (s.draft ? " (EELNÕU)" : "");
  document.title = "Eelvaade: " + s.directive;
  const t = s.timings || {};
  const parts = [s.status || ""];
  if (t.tekst !== undefined) parts.push("tekst " + t.tekst.toFixed(1).replace(".", ",") + " s");
  if (t.failid !== undefined) parts.push("failid " + t.failid.toFixed(1).replace(".", ",") + " s");
  $("olek").textContent = parts.join(" · ");
  $("olek").classList.toggle("viga", s.phase === "viga");
  drawError(s);
  drawText(s);
  drawFindings(s);
  drawFiles(s);
}
$("failid").addEventListener("click", (e) => {
  if (e.target.dataset && e.target.dataset.nimi) $("pdf").dataset.nimi = e.target.dataset.nimi;
});
const events = new EventSource("/sundmused");
events.onmessage = (e) => draw(JSON.parse(e.data));
events.onerror = () => {
  $("olek").textContent = "Ühendus kaskkiri watch'iga katkes (kas see lõpetati?). Proovin uuesti…";
};
</script>
</body>
</html>
"""
