/* editio.js: small enhancements for the web edition. Everything can be read without it; it adds the reading
   switch's memory in the URL (?reading=printed), the mentions' popovers (Escape closes one), and copyable
   citations. */
(function () {
  "use strict";

  function readingSwitch() {
    var radios = Array.prototype.slice.call(document.querySelectorAll('input[name="reading"]'));
    if (!radios.length) return;
    var fallback = radios.filter(function (r) { return r.defaultChecked; })[0] || radios[0];
    var wanted = new URLSearchParams(location.search).get("reading");
    radios.forEach(function (r) { if (wanted) r.checked = r.value === wanted; });
    if (!radios.some(function (r) { return r.checked; })) fallback.checked = true;

    function chosen() { return radios.filter(function (r) { return r.checked; })[0].value; }
    function withReading(href, value) {
      var url = new URL(href, location.href);
      if (value === fallback.value) url.searchParams.delete("reading"); else url.searchParams.set("reading", value);
      return url;
    }
    function update() {
      var value = chosen();
      var here = withReading(location.href, value);
      history.replaceState(null, "", here.pathname + here.search + here.hash);
      // Carry the choice to the previous/next chapter.
      document.querySelectorAll('.chapter-nav a[rel]').forEach(function (a) {
        var u = withReading(a.getAttribute("href"), value);
        a.setAttribute("href", u.pathname.split("/").pop() + u.search + u.hash);
      });
    }
    radios.forEach(function (r) { r.addEventListener("change", update); });
    if (wanted) update();
  }

  function popovers() {
    // A page holds one popover per entry (in a hidden container); the mention under the pointer or the keyboard
    // focus takes its entry's popover in, and CSS shows it there.
    function bring(ev) {
      var a = ev.target.closest && ev.target.closest(".mention > a[aria-describedby]");
      if (!a) return;
      var pop = document.getElementById(a.getAttribute("aria-describedby"));
      if (pop && pop.parentNode !== a.parentNode) a.parentNode.appendChild(pop);
    }
    document.addEventListener("mouseover", bring);
    document.addEventListener("focusin", bring);
    document.addEventListener("keydown", function (ev) {
      if (ev.key !== "Escape") return;
      var open = document.querySelectorAll(".mention:hover, .mention:focus-within");
      Array.prototype.forEach.call(open, function (m) { m.classList.add("pop-dismissed"); });
    });
    function reset(ev) {
      var m = ev.target.closest && ev.target.closest(".mention");
      if (m && !m.contains(ev.relatedTarget)) m.classList.remove("pop-dismissed");
    }
    document.addEventListener("focusout", reset);
    document.addEventListener("mouseout", reset);
  }

  function citations() {
    var today = new Date();
    var months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December"];
    var accessed = " Accessed " + today.getDate() + " " + months[today.getMonth()] + " " + today.getFullYear() + ".";
    document.querySelectorAll(".citation").forEach(function (c) {
      var url = c.querySelector(".cite-url");
      if (url && url.textContent === url.getAttribute("data-fragment") && /^https?:/.test(location.protocol)) {
        url.textContent = new URL(url.getAttribute("data-fragment"), location.href).href;
      }
      var acc = c.querySelector(".cite-accessed");
      if (acc) acc.textContent = accessed;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy";
      button.textContent = "Copy citation";
      var status = document.createElement("span");
      status.className = "vh";
      status.setAttribute("role", "status");
      button.addEventListener("click", function () {
        var text = c.textContent.replace(button.textContent, "").replace(status.textContent, "").replace(/\s+/g, " ").trim();
        var done = function () { status.textContent = "Citation copied"; button.textContent = "Copied"; };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(text).then(done, function () { selectText(c); });
        } else {
          selectText(c);
        }
      });
      c.appendChild(button);
      c.appendChild(status);
    });
  }

  function selectText(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }

  readingSwitch();
  popovers();
  citations();
}());
