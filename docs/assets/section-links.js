/* A "Copy link" button after each section heading of a chapter. Clinicians paste section links
 * into messages and handouts, and the address bar is a poor source: phones hide it, and
 * navigation.tracking rewrites it while the reader scrolls. The page's public address comes
 * from the build (site_url, in <meta name="trt-page-url">), so a link copied from a preview
 * or a local copy still points at the published site. */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="trt-page-url"]');
  if (!meta) return;
  var pageUrl = meta.getAttribute("content");
  // The live region must exist before it changes, or screen readers miss the first message.
  var status = document.createElement("p");
  status.className = "trt-copy-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  document.body.appendChild(status);
  var hideTimer = null;

  function announce(text, keep) {
    status.textContent = text;
    status.classList.add("trt-copy-status--visible");
    clearTimeout(hideTimer);
    if (!keep) {
      // Emptied as well as hidden, so that a screen reader browsing later finds no stale note.
      hideTimer = setTimeout(function () {
        status.classList.remove("trt-copy-status--visible");
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
      announce("Copy this link: " + url, true);
      return;
    }
    navigator.clipboard.writeText(url).then(
      function () { announce("Link copied: " + url); },
      function () { announce("Copy this link: " + url, true); }
    );
  }

  document.querySelectorAll("article h2[id], article h3[id]").forEach(function (heading) {
    var url = pageUrl + "#" + heading.id;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "trt-copy-link";
    button.textContent = "Copy link";
    button.setAttribute("aria-label", "Copy link to section: " + headingText(heading));
    button.addEventListener("click", function () { copyLink(url); });
    heading.insertAdjacentElement("afterend", button);
  });
})();
