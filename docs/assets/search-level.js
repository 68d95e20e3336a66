/* The reading level of each search result. The same topic exists at three levels under the same
 * title, so Material's result list shows "Protecting fertility" three times; this adds the level
 * (Fundamentals, Intermediate, Academic) to each result, read from the result's address. The
 * label is text, not colour, and sits inside the result's link, so it is part of the link's
 * accessible name: "Protecting fertility ... Level: Fundamentals". */
(function () {
  "use strict";
  var LEVELS = {fundamentals: "Fundamentals", intermediate: "Intermediate", academic: "Academic"};
  var list = document.querySelector(".md-search-result__list");
  var config = document.getElementById("__config");
  if (!list || !config) return;
  // Material's own record of the site root, relative to this page.
  var root = new URL(JSON.parse(config.textContent).base + "/", location.href).pathname;

  function levelOf(href) {
    var path = new URL(href, location.href).pathname;
    if (path.indexOf(root) !== 0) return null;
    return LEVELS[path.slice(root.length).split("/")[0]] || null;
  }

  function label(item) {
    if (item.querySelector(".trt-search-level")) return;
    var link = item.querySelector("a.md-search-result__link");
    var level = link && levelOf(link.getAttribute("href"));
    var title = link && link.querySelector("article h1");
    if (!level || !title) return;
    var tag = document.createElement("span");
    tag.className = "trt-search-level trt-search-level--" + level.toLowerCase();
    var hidden = document.createElement("span");
    hidden.className = "trt-visually-hidden";
    hidden.textContent = "Level: ";
    tag.appendChild(hidden);
    tag.appendChild(document.createTextNode(level));
    title.appendChild(document.createTextNode(" "));
    title.appendChild(tag);
  }

  function labelAll() {
    var items = list.querySelectorAll(":scope > .md-search-result__item");
    for (var i = 0; i < items.length; i++) label(items[i]);
  }

  // Material replaces the list on every keystroke and appends more results on scroll.
  new MutationObserver(labelAll).observe(list, {childList: true});
  labelAll();
})();
