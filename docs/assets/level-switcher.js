/* The level switcher follows the reader: its links ("Read at: Intermediate") open the section
 * of the other level that matches the section being read, not the top of the chapter. Each link
 * carries the build's map from this page's section ids to the other page's (data-trt-sections,
 * scripts/guide/levels.py); a section with no match opens the top. Without this script the
 * links still open the matching chapter. The chapter's "Report a problem" link follows the same
 * way: its address field names the section being read, not only the page. */
(function () {
  "use strict";
  var links = Array.prototype.slice.call(document.querySelectorAll("a.trt-level-link[data-trt-sections]"));
  var report = document.querySelector("a.trt-report[data-trt-page]");
  if (!links.length && !report) return;
  var headings = Array.prototype.slice.call(document.querySelectorAll("article h2[id], article h3[id]"));
  var header = document.querySelector(".md-header");

  links.forEach(function (link) {
    link.trtBase = link.getAttribute("href").split("#")[0];
    try {
      link.trtSections = JSON.parse(link.getAttribute("data-trt-sections")) || {};
    } catch (error) {
      link.trtSections = {};
    }
  });

  // The section being read: the last heading above a line a quarter of the way down the
  // screen (below the header), so a section opened by its link counts as soon as it lands.
  function currentSection() {
    var line = (header ? header.getBoundingClientRect().bottom : 0) + window.innerHeight / 4;
    var current = null;
    for (var i = 0; i < headings.length; i++) {
      if (headings[i].getBoundingClientRect().top > line) break;
      current = headings[i].id;
    }
    return current;
  }

  function update() {
    var section = currentSection();
    links.forEach(function (link) {
      var target = section && link.trtSections[section];
      link.setAttribute("href", target ? link.trtBase + "#" + target : link.trtBase);
    });
    if (report) {
      var address = new URL(report.href);
      address.searchParams.set("address", report.getAttribute("data-trt-page") + (section ? "#" + section : ""));
      report.href = address.toString();
    }
  }

  var pending = false;
  window.addEventListener("scroll", function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      update();
    });
  }, { passive: true });
  window.addEventListener("hashchange", update);
  window.addEventListener("load", update);
  // Again at the moment of use, in case the page moved without a scroll event (fonts, images).
  links.concat(report ? [report] : []).forEach(function (link) {
    link.addEventListener("pointerdown", update);
    link.addEventListener("click", update);
  });
  update();
})();

/* The header's level menu as a menu button (WAI-ARIA APG "menu button" pattern): aria-expanded
 * says whether it is open; Enter, Space, a click or ArrowDown open it and ArrowDown puts focus on
 * the first level, ArrowUp on the last; arrows, Home and End move between levels; Escape closes
 * it and returns focus to the button. Hovering still opens it, as Material's menus do. */
(function () {
  "use strict";
  var menu = document.querySelector(".trt-level-menu");
  if (!menu) return;
  var button = menu.querySelector(".trt-level-menu__button");
  var select = menu.querySelector(".md-select");
  var items = Array.prototype.slice.call(menu.querySelectorAll(".md-select__link[href]"));
  var open = false;

  function state() {
    var shown = open || select.matches(":hover");
    button.setAttribute("aria-expanded", shown ? "true" : "false");
  }
  function setOpen(value) {
    open = value;
    menu.classList.toggle("trt-level-menu--closed", !value);
    state();
  }
  function focusItem(index) {
    if (!items.length) return;
    items[(index + items.length) % items.length].focus();
  }

  button.setAttribute("aria-haspopup", "true");
  setOpen(false);
  button.addEventListener("click", function () { setOpen(!open); });
  select.addEventListener("mouseenter", state);
  select.addEventListener("mouseleave", state);
  menu.addEventListener("focusout", function (event) {
    if (!menu.contains(event.relatedTarget)) setOpen(false);
  });
  menu.addEventListener("keydown", function (event) {
    var index = items.indexOf(document.activeElement);
    if (event.key === "Escape" && (open || index >= 0)) {
      setOpen(false);
      button.focus();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      setOpen(true);
      focusItem(index < 0 ? (event.key === "ArrowDown" ? 0 : -1)
                          : index + (event.key === "ArrowDown" ? 1 : -1));
    } else if ((event.key === "Home" || event.key === "End") && index >= 0) {
      focusItem(event.key === "Home" ? 0 : -1);
    } else {
      return;
    }
    event.preventDefault();
  });
})();
