"""Inline CSS and JavaScript of the review and summary pages (no network: nothing is fetched)."""
from __future__ import annotations

CSS = """
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, "Noto Sans CJK SC", "WenQuanYi Micro Hei",
       "Microsoft YaHei", sans-serif; color: #1d2330; background: #f6f7f9; }
header { padding: 10px 18px; background: #25324a; color: #fff; }
header h1 { font-size: 17px; margin: 0 0 4px; }
header .meta { font-size: 12px; opacity: .85; }
header .meta span { margin-right: 14px; }
main.review { display: flex; gap: 14px; padding: 12px; align-items: flex-start; }
#text-pane { flex: 1 1 44%; position: sticky; top: 8px; max-height: calc(100vh - 60px);
             overflow: auto; background: #fff; border: 1px solid #d5d9e0; padding: 10px 14px; }
#side { flex: 1 1 56%; min-width: 0; }
/* #text is a div, not a pre: a pre would drop the text's leading newline */
#text { white-space: pre-wrap; tab-size: 4; word-break: break-all; font-size: 13px; line-height: 1.7; }
section.box { background: #fff; border: 1px solid #d5d9e0; padding: 10px 14px; margin-bottom: 12px; }
section.box h2 { font-size: 15px; margin: 0 0 8px; }
.legend span { display: inline-block; margin-right: 12px; font-size: 12px; }
.m.qty { background: #ffd8a8; border-bottom: 2px solid #e8590c; cursor: help; }
.m.item { background: #c5e3ff; border-bottom: 2px solid #1c7ed6; cursor: help; }
.m.cell { background: #d3f9d8; }
.m.cell.fail { background: #ffc9c9; }
.m.empty { display: inline-block; min-width: 8px; height: 1em; vertical-align: middle; }
.m.qty.item { background: linear-gradient(#ffd8a8, #c5e3ff); }
.m.pair { outline: 2px solid #862e9c; text-decoration: underline 2px #862e9c; }
.flash { animation: flash 1.6s ease-out 1; }
@keyframes flash { 0%, 40% { background: #ffe066; outline: 3px solid #f08c00; } 100% { } }
table.tpl { border-collapse: collapse; width: 100%; margin-bottom: 8px; font-size: 12px; }
table.tpl th, table.tpl td { border: 1px solid #9aa3b0; padding: 2px 5px; }
table.tpl th { background: #eef1f5; font-weight: normal; text-align: center; }
table.tpl th.rowlabel { text-align: left; }
#table3 th { font-size: 11px; }
#table3 th.headnote { max-width: 200px; }
table.tpl td.v { text-align: right; min-width: 38px; font-variant-numeric: tabular-nums; }
td.v.linked { cursor: pointer; color: #0b4f9c; }
td.v.linked:hover { background: #e7f1ff; }
td.v.blank { background: #fafafa; }
td.v.unread { color: #c92a2a; font-weight: bold; }
td.v.absent { background: repeating-linear-gradient(45deg, #f1f3f5 0 4px, #fff 4px 8px); }
td.v.inferred { background: #fff3bf; }
td.v.inferred::after { content: "*"; color: #e67700; font-weight: bold; margin-left: 2px; }
td.v.ocr-flag { background: #ffe3e3; }
td.v.ocr-flag::after { content: "!"; color: #c92a2a; font-weight: bold; margin-left: 2px; }
td.v.fail { outline: 2px solid #e03131; outline-offset: -2px; }
td.v.focus { background: #ffa8a8; }
td.v.flash { animation: flash 1.6s ease-out 1; }
p.note { color: #5c6573; font-size: 12px; margin: 2px 0 8px; }
table.list { border-collapse: collapse; width: 100%; font-size: 12px; }
table.list th, table.list td { border-bottom: 1px solid #e3e6eb; padding: 3px 6px; text-align: left;
                               vertical-align: top; }
table.list tr.clickable { cursor: pointer; }
table.list tr.clickable:hover { background: #f1f5ff; }
.bad { color: #c92a2a; font-weight: 600; }
.ok { color: #2b8a3e; }
.error-box { background: #fff5f5; border: 1px solid #e03131; padding: 14px; margin: 16px; }
#info { position: fixed; left: 0; right: 0; bottom: 0; background: #25324a; color: #fff;
        font-size: 12px; padding: 4px 14px; min-height: 24px; white-space: pre; overflow: hidden; }
#links { position: fixed; inset: 0; pointer-events: none; width: 100vw; height: 100vh; }
main.summary { padding: 12px 18px 40px; }
.cards { display: flex; gap: 10px; flex-wrap: wrap; margin-bottom: 12px; }
.card { background: #fff; border: 1px solid #d5d9e0; padding: 8px 14px; min-width: 120px; }
.card b { display: block; font-size: 22px; }
.plots { display: flex; flex-wrap: wrap; gap: 10px; }
.plots figure { margin: 0; background: #fff; border: 1px solid #d5d9e0; padding: 6px; max-width: 540px; }
.plots figcaption { font-size: 12px; color: #5c6573; }
"""

# The review page's behaviour: hover a QTY -> its ITEM is outlined and a curve joins the pair;
# click a table value or a list row -> scroll the text to the span and flash it.
REVIEW_JS = r"""
(function () {
  "use strict";
  var links = JSON.parse(document.getElementById("links-data").textContent);
  var info = document.getElementById("info");
  var svg = document.getElementById("links");
  var SVGNS = "http://www.w3.org/2000/svg";

  function marks(id) { return document.querySelectorAll('[data-ids~="' + id + '"]'); }
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function clearPairs() {
    each(document.querySelectorAll(".pair"), function (e) { e.classList.remove("pair"); });
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
  }
  function curve(a, b) {
    var ra = a.getBoundingClientRect(), rb = b.getBoundingClientRect();
    var x1 = ra.left + ra.width / 2, y1 = ra.top, x2 = rb.left + rb.width / 2, y2 = rb.top;
    var lift = Math.min(40, 12 + Math.abs(x2 - x1) / 6);
    var p = document.createElementNS(SVGNS, "path");
    p.setAttribute("d", "M" + x1 + "," + y1 + " C" + x1 + "," + (y1 - lift) + " " + x2 + "," +
                   (y2 - lift) + " " + x2 + "," + y2);
    p.setAttribute("fill", "none");
    p.setAttribute("stroke", "#862e9c");
    p.setAttribute("stroke-width", "2");
    p.setAttribute("class", "link-curve");
    svg.appendChild(p);
  }
  function showPair(q) {
    var item = links.qty_item[q];
    var qs = marks(q);
    each(qs, function (e) { e.classList.add("pair"); });
    if (!item) { return; }
    var is = marks(item);
    each(is, function (e) { e.classList.add("pair"); });
    if (qs.length && is.length) { curve(qs[0], is[0]); }
  }
  function idsOf(el) { return (el.getAttribute("data-ids") || "").split(" "); }

  function onHover(ev) {
    var el = ev.target.closest(".m");
    clearPairs();
    if (!el) { info.textContent = ""; return; }
    info.textContent = el.getAttribute("title") || "";
    idsOf(el).forEach(function (id) {
      if (id.charAt(0) === "q") { showPair(id); }
      if (id.charAt(0) === "i") { (links.item_qtys[id] || []).forEach(showPair); }
    });
  }
  var text = document.getElementById("text");  // absent when the source text could not be read
  if (text) {
    text.addEventListener("mouseover", onHover);
    text.addEventListener("mouseleave", function () { clearPairs(); info.textContent = ""; });
    document.getElementById("text-pane").addEventListener("scroll", clearPairs);
  }
  window.addEventListener("scroll", clearPairs);

  function flash(el) {
    el.classList.remove("flash");
    void el.offsetWidth;  // restart the animation
    el.classList.add("flash");
  }
  function goTo(id) {
    var targets = marks(id);
    if (!targets.length) { return; }
    targets[0].scrollIntoView({block: "center"});
    each(targets, flash);
  }
  each(document.querySelectorAll("[data-target]"), function (el) {
    el.addEventListener("click", function () { goTo(el.getAttribute("data-target")); });
  });
  each(document.querySelectorAll("tr[data-check]"), function (tr) {
    tr.addEventListener("click", function () {
      var k = tr.getAttribute("data-check");
      each(document.querySelectorAll("td.focus"), function (e) { e.classList.remove("focus"); });
      var cells = document.querySelectorAll('td[data-checks~="' + k + '"]');
      each(cells, function (e) { e.classList.add("focus"); });
      if (cells.length) { cells[0].scrollIntoView({block: "center"}); }
    });
  });
  each(document.querySelectorAll("td.v"), function (td) {
    td.addEventListener("mouseenter", function () { info.textContent = td.getAttribute("title") || ""; });
  });
})();
"""
