/* Glossary terms and citations carry their text in data-tip (no title attribute: Material would
 * mount a tooltip component on each of them at load, some 180 on a long chapter, the main-thread
 * work Lighthouse counted against the page). This script shows the text in one popover:
 * - on hover and keyboard focus, as a tooltip (role tooltip, the link's aria-describedby) that
 *   stays while the pointer is over the link or the tooltip itself and closes on Escape, when
 *   focus or the pointer leaves, or on a tap elsewhere (WCAG 1.4.13: hoverable, dismissible,
 *   persistent);
 * - on a touch screen, which has no hover, the first tap on a term shows the text (a dialog; a
 *   citation's also offers the chapter's list of sources) and a second tap follows the link.
 * The popover stays inside the screen, below the line (above it when there is no room below).
 * Escape also hides Material's tooltip of any other titled element without moving focus: class
 * trt-tips-dismissed on <html> until focus or the pointer moves to another element. */
(function () {
  "use strict";
  var MARGIN = 8;
  var GAP = 6;
  var root = document.documentElement;
  var HIDE_DELAY = 300;  // ms: time to move the pointer from the link onto its tooltip
  var popover = null;
  var shownFor = null;
  var hideTimer = null;

  function close() {
    clearTimeout(hideTimer);
    if (popover) popover.remove();
    if (shownFor) shownFor.removeAttribute("aria-describedby");
    popover = null;
    shownFor = null;
  }

  function place(link) {
    var rect = link.getBoundingClientRect();
    var width = popover.offsetWidth;
    var height = popover.offsetHeight;
    var viewWidth = root.clientWidth;
    var left = Math.max(MARGIN, Math.min(rect.left, viewWidth - width - MARGIN));
    var top = rect.bottom + GAP;
    if (top + height > window.innerHeight - MARGIN && rect.top - GAP - height >= MARGIN) {
      top = rect.top - GAP - height;
    }
    popover.style.left = window.scrollX + left + "px";
    popover.style.top = window.scrollY + top + "px";
  }

  // asTip: a tooltip for hover or focus; otherwise the dialog a tap opens.
  function open(link, asTip) {
    close();
    var citation = link.closest("sup.cite");
    popover = document.createElement("div");
    popover.className = "trt-popover";
    if (asTip) {
      popover.id = "trt-tip";
      popover.setAttribute("role", "tooltip");
      link.setAttribute("aria-describedby", popover.id);
    } else {
      popover.setAttribute("role", "dialog");
      popover.setAttribute("aria-label", citation ? "Source " + link.textContent.trim()
                                                  : "Meaning of " + link.textContent.trim());
    }
    var text = document.createElement("p");
    text.textContent = link.getAttribute("data-tip");
    popover.appendChild(text);
    if (!asTip && citation && document.getElementById("sources")) {
      var jump = document.createElement("a");
      jump.href = "#sources";
      jump.textContent = "Jump to this chapter's sources";
      jump.addEventListener("click", function () { setTimeout(close, 0); });
      popover.appendChild(jump);
    }
    document.body.appendChild(popover);
    place(link);
    shownFor = link;
  }

  var lastPointer = "mouse";
  document.addEventListener("pointerdown", function (event) {
    lastPointer = event.pointerType;
    root.classList.toggle("trt-touch", lastPointer === "touch");
  }, true);
  document.addEventListener("click", function (event) {
    if (popover && popover.contains(event.target)) return;
    var link = event.target.closest && event.target.closest("a[data-tip]");
    if (!link) {
      close();
      return;
    }
    if (lastPointer === "touch" && !(shownFor === link && popover.getAttribute("role") === "dialog")) {
      event.preventDefault();
      open(link, false);
    }
  });

  function tipLink(target) {
    return target && target.closest ? target.closest("a[data-tip]") : null;
  }
  function isTip() {
    return popover && popover.getAttribute("role") === "tooltip";
  }
  function closeSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(close, HIDE_DELAY);
  }
  document.addEventListener("mouseover", function (event) {
    if (lastPointer === "touch") return;
    var link = tipLink(event.target);
    if (link && shownFor !== link) open(link, true);
    if (isTip() && (link === shownFor || popover.contains(event.target))) clearTimeout(hideTimer);
  });
  document.addEventListener("mouseout", function (event) {
    if (!isTip() || document.activeElement === shownFor) return;
    var to = event.relatedTarget;
    if (to && (popover.contains(to) || tipLink(to) === shownFor)) return;
    if (tipLink(event.target) === shownFor || popover.contains(event.target)) closeSoon();
  });
  document.addEventListener("focusin", function (event) {
    var link = tipLink(event.target);
    if (link && shownFor !== link && lastPointer !== "touch") open(link, true);
  });
  document.addEventListener("focusout", function (event) {
    if (isTip() && event.target === shownFor) close();
  });
  var dismissedFor = null;
  function undismiss(event) {
    if (dismissedFor && event.target !== dismissedFor) {
      root.classList.remove("trt-tips-dismissed");
      dismissedFor = null;
    }
  }
  document.addEventListener("focusin", undismiss);
  document.addEventListener("pointerover", undismiss);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    if (document.querySelector(".md-tooltip2--active, .md-tooltip--active")) {
      root.classList.add("trt-tips-dismissed");
      dismissedFor = document.activeElement;
    }
    if (!popover) return;
    var link = shownFor;
    var focusInside = popover.contains(document.activeElement);
    close();
    if (focusInside && link) link.focus();
  });
  window.addEventListener("resize", close);
})();
