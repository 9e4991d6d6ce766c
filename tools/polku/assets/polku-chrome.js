/* polku: keyboard and screen reader fixes of Material's page frame.
 *
 * - On a narrow screen the navigation drawer is opened by a <label>, which is no Tab
 *   stop; here it becomes a button that Enter and Space open and close, and the closed
 *   drawer is inert, so Tab does not wander through links that are off the screen.
 * - Material's colour palette radios are left unchecked on a first visit that follows
 *   the operating system's colour scheme, so Tab reached the first one ("switch to the
 *   dark theme") even when the page was already dark; the radio of the shown scheme is
 *   checked here, which makes it the group's Tab stop, with the right name.
 * - A title cut off with an ellipsis (navigation, table of contents, header, footer, path)
 *   gets its full text as a plain `title` when pointed at or focused: the browser's own
 *   tooltip. polku's templates say `polku-ellipsis` where Material says `md-ellipsis`,
 *   whose text Material's content.tooltips renders as HTML (a title is the author's text).
 */
(function () {
  "use strict";

  var polku = window.polku;
  var labels = (polku && polku.labels) || {};
  // Material's breakpoint below which the primary sidebar is an off-canvas drawer
  var narrow = window.matchMedia("(max-width: 76.234375em)");

  // --- the navigation drawer ------------------------------------------------------------

  function setupDrawer() {
    var toggle = document.getElementById("__drawer");
    var button = document.querySelector('.md-header label.md-header__button[for="__drawer"]');
    var drawer = document.querySelector(".md-sidebar--primary");
    if (!toggle || !button || !drawer || button.hasAttribute("data-polku-drawer")) {
      return;
    }
    button.setAttribute("data-polku-drawer", "");
    button.setAttribute("role", "button");
    button.setAttribute("tabindex", "0");
    button.setAttribute("aria-label", labels.menu || "Menu");
    if (!drawer.id) {
      drawer.id = "polku-drawer";
    }
    button.setAttribute("aria-controls", drawer.id);

    function update() {
      var closed = narrow.matches && !toggle.checked;
      drawer.inert = closed;
      if (closed) {
        drawer.setAttribute("inert", "");
      } else {
        drawer.removeAttribute("inert");
      }
      button.setAttribute("aria-expanded", toggle.checked ? "true" : "false");
    }

    function setOpen(open) {
      if (toggle.checked !== open) {
        toggle.checked = open;
        toggle.dispatchEvent(new Event("change", { bubbles: true }));
      }
      update();
    }

    button.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" && event.key !== " ") {
        return;
      }
      event.preventDefault();
      setOpen(!toggle.checked);
      if (toggle.checked) {
        var first = drawer.querySelector("a[href], input, label[tabindex], button");
        if (first) {
          first.focus();
        }
      }
    });
    // Escape closes an open drawer and returns to its button
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && narrow.matches && toggle.checked) {
        setOpen(false);
        button.focus();
      }
    });
    toggle.addEventListener("change", update);
    narrow.addEventListener("change", update);
    update();
  }

  // --- the colour palette toggle --------------------------------------------------------

  function setupPalette() {
    var inputs = Array.prototype.slice.call(document.querySelectorAll('input[name="__palette"]'));
    if (!inputs.length || inputs.some(function (input) { return input.checked; })) {
      return;
    }
    var body = document.body;
    var shown = inputs.filter(function (input) {
      return (
        input.getAttribute("data-md-color-scheme") === body.getAttribute("data-md-color-scheme")
      );
    });
    if (shown.length !== 1) {
      // Material has not yet applied a scheme: the one whose media query matches
      shown = inputs.filter(function (input) {
        var media = input.getAttribute("data-md-color-media");
        return media && window.matchMedia(media).matches;
      });
    }
    if (shown.length) {
      shown[0].checked = true;
    }
  }

  // --- full titles of cut-off titles ------------------------------------------------------

  var TITLED = "data-polku-title"; // marks a title set here

  function showFullTitle(event) {
    var target = event.target;
    if (!target || target.nodeType !== 1 || typeof target.closest !== "function") {
      return;
    }
    var element = target.closest(".polku-ellipsis");
    var link = (element || target).closest("a");
    if (!element && link) {
      // the link around a title (its icon, its padding)
      element = link.querySelector(".polku-ellipsis");
    }
    if (!element) {
      return;
    }
    var holder = link || element;
    if (element.offsetWidth < element.scrollWidth) {
      // innerText: the text as shown, never markup; setAttribute: a plain title
      holder.setAttribute("title", element.innerText.trim());
      holder.setAttribute(TITLED, "");
    } else if (holder.hasAttribute(TITLED)) {
      // shown whole now (a wider window): no tooltip repeats it
      holder.removeAttribute("title");
      holder.removeAttribute(TITLED);
    }
  }

  // ... and only while pointed at or focused: Material makes tooltips of the titles it
  // finds in the header and the content when it shows a page (instant navigation)
  function hideFullTitle(event) {
    var target = event.target;
    if (!target || target.nodeType !== 1 || typeof target.closest !== "function") {
      return;
    }
    var holder = target.closest("[" + TITLED + "]");
    var next = event.relatedTarget;
    if (!holder || (next && next.nodeType === 1 && holder.contains(next))) {
      return;
    }
    holder.removeAttribute("title");
    holder.removeAttribute(TITLED);
  }

  function init() {
    setupDrawer();
    setupPalette();
  }

  // on the document, which stays when Material's instant navigation swaps the page
  document.addEventListener("mouseover", showFullTitle);
  document.addEventListener("focusin", showFullTitle);
  document.addEventListener("mouseout", hideFullTitle);
  document.addEventListener("focusout", hideFullTitle);
  window.polkuOnEveryPage(init);
})();
