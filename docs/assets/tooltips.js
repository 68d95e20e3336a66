/* Glossary terms and citations carry their text in data-tip. Hover and keyboard focus show it
 * through Material's tooltips; a touch screen has no hover, so the first tap on a term shows the
 * text in a small popover and a second tap follows the link. On touch, Material's tooltip is
 * hidden (class trt-touch on <html>, navigation.css) so that exactly one text opens. The popover
 * stays inside the screen, below the tapped line (above it when there is no room below), and
 * closes on a tap elsewhere or Escape. A citation's popover also offers the chapter's list of
 * sources. Escape also hides Material's hover and focus tooltip without moving focus (WCAG 1.4.13,
 * dismissible): class trt-tips-dismissed on <html> until focus or the pointer moves to another
 * element. */
(function () {
  "use strict";
  var MARGIN = 8;
  var GAP = 6;
  var root = document.documentElement;
  var popover = null;
  var shownFor = null;

  function close() {
    if (popover) popover.remove();
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

  function open(link) {
    close();
    var citation = link.closest("sup.cite");
    popover = document.createElement("div");
    popover.className = "trt-popover";
    popover.setAttribute("role", "dialog");
    popover.setAttribute("aria-label", citation ? "Source " + link.textContent.trim()
                                                : "Meaning of " + link.textContent.trim());
    var text = document.createElement("p");
    text.textContent = link.getAttribute("data-tip");
    popover.appendChild(text);
    if (citation && document.getElementById("sources")) {
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
    if (lastPointer === "touch" && shownFor !== link) {
      event.preventDefault();
      open(link);
    }
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
