/* Wide tables on narrow screens: Material puts each table in a horizontally scrolling box. When a
 * table is wider than its box, mark its figure so guide.css shows a written "scroll sideways" cue,
 * and make the box a named, focusable region so keyboard users can scroll it too (WCAG 2.1.1;
 * the pattern of A. Roselli's "Under-Engineered Responsive Tables").
 *
 * A ResizeObserver reads the sizes after the browser has laid the page out, so this never forces
 * an extra layout before the first paint; all reads come before all writes. */
(function () {
  "use strict";
  if (!("ResizeObserver" in window)) return; /* the table still scrolls, only the cue is missing */

  function mark(box, scrolls) {
    var figure = box.closest("figure");
    var caption = figure && figure.querySelector("figcaption");
    if (figure) figure.classList.toggle("trt-table--scrolls", scrolls);
    if (!scrolls) {
      ["role", "tabindex", "aria-labelledby", "aria-label"].forEach(function (name) {
        box.removeAttribute(name);
      });
      return;
    }
    box.setAttribute("role", "region");
    box.setAttribute("tabindex", "0");
    if (caption) {
      caption.id = caption.id || figure.id + "-caption";
      box.setAttribute("aria-labelledby", caption.id);
    } else {
      box.setAttribute("aria-label", "Table");
    }
  }

  var observer = new ResizeObserver(function (entries) {
    var boxes = entries.map(function (entry) { return entry.target; });
    var scrolls = boxes.map(function (box) { return box.scrollWidth > box.clientWidth + 1; });
    boxes.forEach(function (box, i) { mark(box, scrolls[i]); });
  });

  function observeTables() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (box) {
      observer.observe(box);
    });
  }

  /* Material wraps the tables when it mounts a page (document$); without it, once parsed. */
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(observeTables);
  } else {
    document.addEventListener("DOMContentLoaded", observeTables);
  }
})();
