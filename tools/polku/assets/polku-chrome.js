/* polku: keyboard and screen reader fixes of Material's page frame.
 *
 * - On a narrow screen the navigation drawer is opened by a <label>, which is no Tab
 *   stop; here it becomes a button that Enter and Space open and close, and the closed
 *   drawer is inert, so Tab does not wander through links that are off the screen.
 * - Material's colour palette radios are left unchecked on a first visit that follows
 *   the operating system's colour scheme, so Tab reached the first one ("switch to the
 *   dark theme") even when the page was already dark; the radio of the shown scheme is
 *   checked here, which makes it the group's Tab stop, with the right name.
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

  function init() {
    setupDrawer();
    setupPalette();
  }

  window.polkuOnEveryPage(init);
})();
