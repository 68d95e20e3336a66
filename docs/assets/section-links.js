/* A quiet "copy link" icon beside each section heading of a chapter. Clinicians paste section
 * links into messages and handouts, and the address bar is a poor source: phones hide it, and
 * navigation.tracking rewrites it while the reader scrolls. The page's public address comes
 * from the build (extra.public_url, in <meta name="trt-page-url">), so a link copied from a
 * preview, a local copy or `mkdocs serve` still points at the published site. */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="trt-page-url"]');
  if (!meta) return;
  var pageUrl = meta.getAttribute("content");
  // The chapter's list of sources (scripts/guide/citations.py) is not a section anyone sends.
  var SKIPPED = { sources: true };
  // Material's "link-variant" icon, inline so that it costs no request.
  var ICON = '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M10.59 13.41c.41.39.41 1.03 0 1.42-.39.39-1.03.39-1.42 0a5.003 5.003 0 0 1 0-7.07l3.54-3.54a5.003 5.003 0 0 1 7.07 0 5.003 5.003 0 0 1 0 7.07l-1.49 1.49c.01-.82-.12-1.64-.4-2.42l.47-.48a2.98 2.98 0 0 0 0-4.24 2.98 2.98 0 0 0-4.24 0l-3.53 3.53a2.98 2.98 0 0 0 0 4.24m2.82-4.24c.39-.39 1.03-.39 1.42 0a5.003 5.003 0 0 1 0 7.07l-3.54 3.54a5.003 5.003 0 0 1-7.07 0 5.003 5.003 0 0 1 0-7.07l1.49-1.49c-.01.82.12 1.64.4 2.43l-.47.47a2.98 2.98 0 0 0 0 4.24 2.98 2.98 0 0 0 4.24 0l3.53-3.53a2.98 2.98 0 0 0 0-4.24.973.973 0 0 1 0-1.42"/></svg>';

  // The live region must exist before it changes, or screen readers miss the first message.
  var status = document.createElement("p");
  status.className = "trt-toast";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  document.body.appendChild(status);
  var hideTimer = null;

  function announce(what, url, keep) {
    status.textContent = "";
    var label = document.createElement("span");
    label.className = "trt-toast__what";
    label.textContent = what;
    var address = document.createElement("span");
    address.className = "trt-toast__url";
    address.textContent = url;
    status.append(label, " ", address);
    status.classList.add("trt-toast--visible");
    clearTimeout(hideTimer);
    if (!keep) {
      // Emptied as well as hidden, so that a screen reader browsing later finds no stale note.
      hideTimer = setTimeout(function () {
        status.classList.remove("trt-toast--visible");
        status.textContent = "";
      }, 4000);
    }
  }

  function headingText(heading) {
    var copy = heading.cloneNode(true);
    copy.querySelectorAll(".headerlink").forEach(function (link) { link.remove(); });
    return copy.textContent.trim();
  }

  function copyLink(url) {
    // The clipboard API exists only on https (and localhost); elsewhere the reader is shown
    // the link to copy by hand rather than told that something failed.
    if (!navigator.clipboard || !window.isSecureContext) {
      announce("Copy this link:", url, true);
      return;
    }
    navigator.clipboard.writeText(url).then(
      function () { announce("Link copied:", url); },
      function () { announce("Copy this link:", url, true); }
    );
  }

  document.querySelectorAll("article h2[id], article h3[id]").forEach(function (heading) {
    if (SKIPPED[heading.id]) return;
    var url = pageUrl + "#" + heading.id;
    // Heading and icon share a block that adds no margin of its own (the heading's margins
    // collapse through it), so the page's rhythm is unchanged; the icon sits at its right.
    var wrapper = document.createElement("div");
    wrapper.className = "trt-heading";
    heading.parentNode.insertBefore(wrapper, heading);
    wrapper.appendChild(heading);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "trt-copy-icon";
    button.innerHTML = ICON + '<span class="trt-visually-hidden">Copy link</span>';
    button.setAttribute("aria-label", "Copy link to section: " + headingText(heading));
    button.addEventListener("click", function () { copyLink(url); });
    wrapper.appendChild(button);
  });
})();
