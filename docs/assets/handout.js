/* The handout builder on /handout/: ticked sections, in the order ticked, live in the address
 * (?s=<published link>&s=...&note=...), so a handout can be bookmarked and reopened anywhere.
 * The sections' text, addresses and QR codes come from the build (scripts/guide/handout_builder.py);
 * this script only chooses and arranges them, and asks no other host for anything.
 * What comes from the address (s=, note=) is only ever shown as text (textContent, a textarea's
 * value) and never becomes a link or markup: an address can be crafted by anyone. */
(function () {
  "use strict";

  var root = document.getElementById("handout-builder");
  if (!root) return;

  var data = JSON.parse(document.getElementById("hb-data").textContent);
  var sections = new Map(data.sections.map(function (s) { return [s.link, s]; }));
  var boxes = Array.prototype.slice.call(root.querySelectorAll(".hb-picker input[type=checkbox]"));
  var sheet = root.querySelector(".hb-sheet");
  var items = root.querySelector(".hb-items");
  var refused = root.querySelector(".hb-refused");
  var note = root.querySelector("#hb-note");
  var notePrint = root.querySelector(".hb-note__print");
  var filter = root.querySelector("#hb-filter");
  var count = root.querySelector(".hb-count");
  var limit = root.querySelector(".hb-limit");
  var panel = root.querySelector(".hb-panel");
  var panelCount = root.querySelector(".hb-panel__count");
  var panelChosen = root.querySelector(".hb-panel__chosen");
  var panelStatus = root.querySelector(".hb-panel__status");
  var printButton = root.querySelector(".hb-print");
  var copyButton = root.querySelector(".hb-copy");
  var clearButton = root.querySelector(".hb-clear");
  var dateFormat = { day: "numeric", month: "long", year: "numeric" };

  // The values of s as given, in order; a value that is no published section stays in the list
  // (and in the address), so the handout can say so instead of dropping it.
  var chosen = [];

  function searchText(section) {
    return [section.heading, section.chapter, section.level, section.summary].join(" ").toLowerCase();
  }
  var haystacks = new Map(data.sections.map(function (s) { return [s.link, searchText(s)]; }));

  /* A link as a clinician may paste it: the full public address works as well as the short form,
   * and an old id of a renamed section leads to the section's current link. */
  function normalise(value) {
    var link = value.trim();
    if (link.indexOf(data.public_url) === 0) link = link.slice(data.public_url.length);
    // Own keys only: "s=__proto__" or "s=constructor" must not find Object's.
    return Object.prototype.hasOwnProperty.call(data.aliases, link) ? data.aliases[link] : link;
  }

  function readAddress() {
    // URLSearchParams parses as browsers submit forms (WHATWG URL, application/x-www-form-urlencoded).
    var params = new URLSearchParams(window.location.search);
    chosen = [];
    params.getAll("s").forEach(function (value) {
      var link = normalise(value);
      if (link && chosen.indexOf(link) === -1) chosen.push(link);
    });
    note.value = params.get("note") || "";
  }

  // Percent-encoded as encodeURIComponent does, but "/" is left readable: it needs no escaping
  // in a query (RFC 3986, section 3.4) and URLSearchParams reads both forms alike.
  function encode(value) {
    return encodeURIComponent(value).replace(/%2F/g, "/");
  }

  function query() {
    var parts = chosen.map(function (link) { return "s=" + encode(link); });
    if (note.value) parts.push("note=" + encode(note.value));
    return parts.length ? "?" + parts.join("&") : "";
  }

  function writeAddress() {
    window.history.replaceState(window.history.state, "", window.location.pathname + query());
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function sectionItem(section) {
    var item = element("li", "hb-item");
    var text = element("div", "hb-item__text");
    text.appendChild(element("h3", "hb-item__heading", section.heading));
    text.appendChild(element("p", "hb-item__meta",
      section.level + " level \u00b7 " + section.chapter + " \u00b7 reviewed " + section.reviewed_text));
    if (section.summary) text.appendChild(element("p", "hb-item__summary", section.summary));
    var address = element("p", "hb-item__address");
    var link = element("a", null, section.address);
    link.href = section.address;
    address.appendChild(link);
    text.appendChild(address);
    item.appendChild(text);
    var qr = element("img", "hb-item__qr");
    qr.src = section.qr;  // relative to this page
    qr.alt = "QR code of " + section.address;
    item.appendChild(qr);
    return item;
  }

  function missingItem(link) {
    var item = element("li", "hb-item hb-item--missing");
    var message = element("p", "hb-missing", "This section no longer exists: " + link);
    item.appendChild(message);
    item.appendChild(element("p", null,
      "It is left out of the printout. Remove it, or choose the section that replaced it below."));
    var remove = element("button", "hb-button hb-remove", "Remove it from the handout");
    remove.type = "button";
    remove.addEventListener("click", function () { unchoose(link); filter.focus(); });
    item.appendChild(remove);
    return item;
  }

  function setDates() {
    var today = new Date().toLocaleDateString("en-GB", dateFormat);
    root.querySelectorAll(".hb-date").forEach(function (time) { time.textContent = today; });
  }

  function renderSheet() {
    sheet.hidden = chosen.length === 0;
    items.textContent = "";
    var tooMany = chosen.length > data.most;
    refused.hidden = !tooMany;
    refused.textContent = tooMany
      ? "This address names " + chosen.length + " sections; a handout holds at most " + data.most +
        ". Untick some sections below to make it."
      : "";
    printButton.disabled = tooMany || !chosen.some(function (link) { return sections.has(link); });
    copyButton.disabled = chosen.length === 0;
    clearButton.disabled = chosen.length === 0 && !note.value;
    if (tooMany) return;
    chosen.forEach(function (link) {
      var section = sections.get(link);
      items.appendChild(section ? sectionItem(section) : missingItem(link));
    });
    setDates();
    notePrint.textContent = note.value;
  }

  /* The panel at the foot of the window: how many are chosen and which, in the order chosen. */
  function renderPanel() {
    panelCount.textContent = chosenCount();
    panelChosen.textContent = "";
    chosen.forEach(function (link) {
      var section = sections.get(link);
      var item = element("li", section ? null : "hb-panel__missing",
        section ? section.heading : link + " (no longer exists)");
      panelChosen.appendChild(item);
    });
    panelChosen.hidden = chosen.length === 0;
    panelStatus.textContent = "";
    fitPanel();
  }

  // Keyboard focus scrolled into view must not land behind the panel (WCAG 2.4.11).
  function fitPanel() {
    document.documentElement.style.setProperty("--hb-panel-height", panel.offsetHeight + "px");
  }

  function renderBoxes() {
    boxes.forEach(function (box) { box.checked = chosen.indexOf(box.value) !== -1; });
  }

  function chosenCount() {
    var n = chosen.length;
    return n === 0 ? "No section chosen yet." : n + (n === 1 ? " section" : " sections") + " chosen.";
  }

  function unchoose(link) {
    chosen = chosen.filter(function (other) { return other !== link; });
    renderBoxes();
    update();
  }

  function update() {
    writeAddress();
    renderSheet();
    renderPanel();
    count.textContent = chosenCount() + " " + shownCount();
  }

  boxes.forEach(function (box) {
    box.addEventListener("change", function () {
      limit.textContent = "";
      if (!box.checked) {
        unchoose(box.value);
        return;
      }
      if (chosen.length >= data.most) {
        box.checked = false;
        limit.textContent = "A handout holds at most " + data.most +
          " sections. Untick one to add another.";
        return;
      }
      chosen.push(box.value);
      update();
    });
  });

  note.addEventListener("input", function () {
    writeAddress();
    notePrint.textContent = note.value;
    panelStatus.textContent = "";  // an address copied before this change is no longer this one
    clearButton.disabled = chosen.length === 0 && !note.value;
  });

  // Every word typed must appear in the section's heading, chapter, level or summary.
  function shownCount() {
    var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    boxes.forEach(function (box) {
      var haystack = haystacks.get(box.value);
      var match = words.every(function (word) { return haystack.indexOf(word) !== -1; });
      box.parentNode.hidden = !match;
      if (match) shown += 1;
    });
    root.querySelectorAll(".hb-chapter, .hb-level").forEach(function (group) {
      group.hidden = !group.querySelector(".hb-option:not([hidden])");
    });
    if (!words.length) return boxes.length + " sections to choose from.";
    return shown === 0 ? "No section matches \u201c" + filter.value.trim() + "\u201d."
      : shown + " of " + boxes.length + " sections match \u201c" + filter.value.trim() + "\u201d.";
  }

  filter.addEventListener("input", function () {
    count.textContent = shownCount();
  });

  /* "Copy address": the handout's public address (from the build, like the section links'
   * copy buttons), not the one in the address bar, which may be a preview or 127.0.0.1. */
  function announce(what, address) {
    panelStatus.textContent = "";
    var url = element("span", "hb-panel__address", address);
    panelStatus.append(what + " ", url);
  }

  copyButton.addEventListener("click", function () {
    var address = data.address + query();
    if (!navigator.clipboard || !window.isSecureContext) {
      announce("Copy this address:", address);
      return;
    }
    navigator.clipboard.writeText(address).then(
      function () { announce("Address copied:", address); },
      function () { announce("Copy this address:", address); }
    );
  });

  printButton.addEventListener("click", function () {
    var images = Array.prototype.slice.call(items.querySelectorAll("img"));
    Promise.all(images.map(function (image) { return image.decode().catch(function () {}); }))
      .then(function () { window.print(); });
  });

  clearButton.addEventListener("click", function () {
    chosen = [];
    note.value = "";
    limit.textContent = "";
    renderBoxes();
    update();
    filter.focus();
  });

  window.addEventListener("beforeprint", setDates);
  if (window.ResizeObserver) new ResizeObserver(fitPanel).observe(panel);
  else window.addEventListener("resize", fitPanel);

  readAddress();
  renderBoxes();
  root.hidden = false;
  renderSheet();
  renderPanel();
  count.textContent = chosenCount() + " " + shownCount();
})();
