/* Glossary terms and citations carry their text in data-tip. Hover and keyboard focus show it
 * through Material's tooltips; a touch screen has no hover, so the first tap on a term shows the
 * text in a small popover and a second tap follows the link. */
(function () {
  "use strict";
  var popover = null;
  var shownFor = null;

  function close() {
    if (popover) popover.remove();
    popover = null;
    shownFor = null;
  }

  function open(link) {
    close();
    popover = document.createElement("div");
    popover.className = "trt-popover";
    popover.setAttribute("role", "tooltip");
    popover.textContent = link.getAttribute("data-tip");
    var rect = link.getBoundingClientRect();
    popover.style.top = window.scrollY + rect.bottom + 6 + "px";
    popover.style.left = Math.max(8, Math.min(window.scrollX + rect.left,
      document.documentElement.clientWidth - 300)) + "px";
    document.body.appendChild(popover);
    shownFor = link;
  }

  var lastPointer = "mouse";
  document.addEventListener("pointerdown", function (event) {
    lastPointer = event.pointerType;
  }, true);
  document.addEventListener("click", function (event) {
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
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") close();
  });
})();
