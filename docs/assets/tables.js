/* Wide tables on narrow screens: Material puts each table in a horizontally scrolling box. When a
 * table is wider than its box, mark its figure so guide.css shows a visible "scroll sideways" cue,
 * and make the box a named, focusable region so keyboard users can scroll it too
 * (WCAG 2.1.1; the pattern of "Under-Engineered Responsive Tables", A. Roselli). */
(function () {
  "use strict";

  function mark(box) {
    var figure = box.closest("figure");
    var scrolls = box.scrollWidth > box.clientWidth + 1;
    if (figure) figure.classList.toggle("trt-table--scrolls", scrolls);
    if (scrolls) {
      var caption = figure && figure.querySelector("figcaption");
      box.setAttribute("role", "region");
      box.setAttribute("tabindex", "0");
      if (caption) {
        caption.id = caption.id || figure.id + "-caption";
        box.setAttribute("aria-labelledby", caption.id);
      } else {
        box.setAttribute("aria-label", "Table");
      }
    } else {
      box.removeAttribute("role");
      box.removeAttribute("tabindex");
      box.removeAttribute("aria-labelledby");
      box.removeAttribute("aria-label");
    }
  }

  function markAll() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(mark);
  }

  var observer = "ResizeObserver" in window ? new ResizeObserver(function (entries) {
    entries.forEach(function (entry) { mark(entry.target); });
  }) : null;

  function setUp() {
    markAll();
    if (observer) document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (box) {
      observer.observe(box);
    });
  }

  /* Material wraps tables when it mounts a page (document$); without it, after loading. */
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(setUp);
  } else {
    window.addEventListener("load", setUp);
  }
  window.addEventListener("resize", markAll);
})();
