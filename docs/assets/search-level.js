/* What this site adds to Material's search results, as they are shown.
 *
 * - The reading level of each result. The same topic exists at three levels under the same
 *   title, so Material's result list shows "Protecting fertility" three times; this adds the
 *   level (Fundamentals, Intermediate, Academic) to each result, read from the result's address.
 *   The label is text, not colour, and sits inside the result's link, so it is part of the link's
 *   accessible name: "Protecting fertility ... Level: Fundamentals". A glossary entry is labelled
 *   "Glossary" the same way.
 * - A glossary result's main link opens its entry. The search worker
 *   (javascripts/workers/search-worker.js, which says why) gives it as glossary/?entry=<id>;
 *   it becomes glossary/#<id> here, before the reader can follow it.
 * - When nothing matches, suggestions instead of Material's bare "No matching documents": the
 *   glossary's names spelled closest to the query (from search/glossary_names.json, written by
 *   the build), the glossary from A to Z and the start page's list of situations. The links are
 *   in overrides/partials/search.html; this fills in the names and shows the box. Material takes
 *   every link in the result area for a result when Enter is pressed, and one without a score
 *   stops it: so the box's links have an href only while it is shown, and Enter does nothing
 *   then, as it did before when nothing matched. The arrow keys reach the links, as they reach
 *   results. */
(function () {
  "use strict";
  var LEVELS = {fundamentals: "Fundamentals", intermediate: "Intermediate", academic: "Academic"};
  var MAX_NAMES = 5;
  var list = document.querySelector(".md-search-result__list");
  var meta = document.querySelector(".md-search-result__meta");
  var input = document.querySelector("input.md-search__input");
  var help = document.querySelector(".trt-search-help");
  var config = document.getElementById("__config");
  if (!list || !config) return;
  // Material's own record of the site root, relative to this page.
  var rootUrl = new URL(JSON.parse(config.textContent).base + "/", location.href);
  var root = rootUrl.pathname;
  var glossaryPath = root + "glossary/";

  function sitePath(href) {
    var path = new URL(href, location.href).pathname;
    return path.indexOf(root) === 0 ? path.slice(root.length) : null;
  }

  function levelOf(href) {
    var path = sitePath(href);
    return path === null ? null : LEVELS[path.split("/")[0]] || null;
  }

  function addLabel(title, className, hiddenText, text) {
    var tag = document.createElement("span");
    tag.className = className;
    var hidden = document.createElement("span");
    hidden.className = "trt-visually-hidden";
    hidden.textContent = hiddenText;
    tag.appendChild(hidden);
    tag.appendChild(document.createTextNode(text));
    title.appendChild(document.createTextNode(" "));
    title.appendChild(tag);
  }

  // glossary/?entry=hcg&h=hcg -> glossary/?h=hcg#hcg; true if the link is a glossary entry.
  function openEntry(link) {
    var url = new URL(link.getAttribute("href"), location.href);
    if (url.pathname !== glossaryPath) return false;
    var entry = url.searchParams.get("entry");
    if (entry) {
      url.searchParams.delete("entry");
      url.hash = entry;
      link.setAttribute("href", url.href);
    }
    return url.hash.length > 1;
  }

  function label(item) {
    var link = item.querySelector("a.md-search-result__link");
    if (!link) return;
    var entry = openEntry(link);
    var title = link.querySelector("article h1");
    if (!title || item.querySelector(".trt-search-level, .trt-search-kind")) return;
    var level = levelOf(link.getAttribute("href"));
    if (level) {
      addLabel(title, "trt-search-level trt-search-level--" + level.toLowerCase(), "Level: ",
               level);
    } else if (entry) {
      addLabel(title, "trt-search-kind", "From the ", "Glossary");
    }
  }

  function labelAll() {
    var items = list.querySelectorAll(":scope > .md-search-result__item");
    for (var i = 0; i < items.length; i++) label(items[i]);
  }

  /* No results ------------------------------------------------------------------------------ */

  var names = null;  // a promise of the build's glossary names, fetched on the first miss
  var shownFor = null;

  function loadNames() {
    if (!names) {
      names = fetch(new URL("search/glossary_names.json", rootUrl))
        .then(function (response) { return response.ok ? response.json() : null; })
        .catch(function () { return null; });
    }
    return names;
  }

  function normal(text) {
    return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }

  // Edits (insert, delete, replace, swap two neighbours) that turn a into b.
  function distance(a, b) {
    var rows = [];
    for (var i = 0; i <= a.length; i++) {
      rows.push([i]);
      for (var j = 1; j <= b.length; j++) {
        if (i === 0) { rows[0].push(j); continue; }
        var cost = a.charAt(i - 1) === b.charAt(j - 1) ? 0 : 1;
        var best = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) === b.charAt(j - 2) &&
            a.charAt(i - 2) === b.charAt(j - 1)) {
          best = Math.min(best, rows[i - 2][j - 2] + 1);
        }
        rows[i].push(best);
      }
    }
    return rows[a.length][b.length];
  }

  function allowed(length) {
    return length <= 4 ? 1 : length <= 8 ? 2 : 3;
  }

  function trigrams(text) {
    var padded = "  " + text + " ";
    var grams = {};
    for (var i = 0; i + 3 <= padded.length; i++) grams[padded.slice(i, i + 3)] = true;
    return Object.keys(grams);
  }

  function dice(a, b) {
    var x = trigrams(a), y = trigrams(b);
    var shared = x.filter(function (gram) { return y.indexOf(gram) !== -1; }).length;
    return 2 * shared / (x.length + y.length);
  }

  // Up to MAX_NAMES glossary names, one per entry, closest to the query or one of its words:
  // first those a few typing mistakes away ("andogel": AndroGel), else those sharing the most
  // three-letter pieces. A misspelling on the list finds its entry but shows the headword. Words
  // of fewer than four letters are left out: "it" is two mistakes from anything short ("ITT").
  function nearNames(query, data) {
    var long = normal(query).split(" ").filter(function (word) { return word.length >= 4; });
    var parts = long.length > 1 ? [long.join(" ")].concat(long) : long;
    var best = {};
    data.names.forEach(function (row) {
      var name = normal(row[0]);
      var score = Infinity;
      parts.forEach(function (part) {
        var edits = distance(part, name);
        if (edits <= allowed(Math.max(part.length, name.length))) {
          score = Math.min(score, edits / Math.max(part.length, name.length));
        } else {
          var similar = dice(part, name);
          if (similar >= 0.3) score = Math.min(score, 2 - similar);
        }
      });
      if (score === Infinity) return;
      var shown = row[2] === "misspelling" ? data.entries[row[1]] : row[0];
      var current = best[row[1]];
      if (!current || score < current.score) best[row[1]] = {id: row[1], name: shown, score: score};
    });
    return Object.keys(best).map(function (id) { return best[id]; })
      .sort(function (a, b) { return a.score - b.score || a.name.length - b.name.length; })
      .slice(0, MAX_NAMES);
  }

  function showNames(query, data) {
    var box = help.querySelector(".trt-search-help__near");
    var target = help.querySelector(".trt-search-help__names");
    var found = data ? nearNames(query, data) : [];
    target.textContent = "";
    if (help.hidden) return;
    found.forEach(function (suggestion) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = new URL(data.url + "#" + suggestion.id, rootUrl).href;
      link.textContent = suggestion.name;
      item.appendChild(link);
      var headword = data.entries[suggestion.id];
      if (headword && normal(headword) !== normal(suggestion.name)) {
        item.appendChild(document.createTextNode(" (" + headword + ")"));
      }
      target.appendChild(item);
    });
    box.hidden = !found.length;
    help.setAttribute("data-trt-suggested-for", query);  // done: the tests wait for this
  }

  function showHelp(shown) {
    help.hidden = !shown;
    var links = help.querySelectorAll(".trt-search-help__routes a[data-href]");
    for (var i = 0; i < links.length; i++) {
      if (shown) links[i].setAttribute("href", links[i].getAttribute("data-href"));
      else links[i].removeAttribute("href");
    }
    if (!shown) {
      help.querySelector(".trt-search-help__names").textContent = "";
      help.querySelector(".trt-search-help__near").hidden = true;
      help.removeAttribute("data-trt-suggested-for");
    }
  }

  function update() {
    if (!help || !input || !meta) return;
    var query = input.value.trim();
    var none = query !== "" && !list.querySelector(".md-search-result__item");
    if (none !== !help.hidden) showHelp(none);
    if (!none) {
      shownFor = null;
      return;
    }
    if (query === shownFor) return;
    shownFor = query;
    loadNames().then(function (data) {
      if (shownFor === query) showNames(query, data);
    });
  }

  // Enter with nothing found: nothing to open (Material would take the box's links for results).
  if (help && input) {
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !help.hidden) {
        event.preventDefault();
        event.stopPropagation();
      }
    });
  }

  // Material replaces the list on every keystroke and appends more results on scroll.
  new MutationObserver(function () {
    labelAll();
    update();
  }).observe(list, {childList: true});
  // It writes the count, or "No matching documents", once the index is ready and on every result.
  if (meta) new MutationObserver(update).observe(meta, {childList: true, characterData: true});
  labelAll();
})();
