function (root) {
  "use strict";
  if (!root || root.getAttribute("data-ready")) { return; }
  root.setAttribute("data-ready", "1");
  var data = JSON.parse(root.querySelector("script.xv-data").textContent);
  var records = data.records, links = data.links;
  var text = root.querySelector(".text"), panel = root.querySelector(".fields");
  var hint = root.querySelector(".hint"), pop = root.querySelector(".pop");
  var filter = root.querySelector(".filter");
  var items = Array.prototype.slice.call(root.querySelectorAll(".item"));
  var stops = Array.prototype.slice.call(text.querySelectorAll("[data-rec]"));
  var rtl = text.getAttribute("dir") === "rtl";
  var here = [], at = 0, current = null;

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function frags(key) {
    return text.querySelectorAll('[data-rec="' + CSS.escape(key) + '"]');
  }
  function mark(cls, keys) {
    each(root.querySelectorAll(".rec." + cls), function (el) { el.classList.remove(cls); });
    keys.forEach(function (key) { each(frags(key), function (el) { el.classList.add(cls); }); });
  }
  function fill(dl, key) {
    while (dl.firstChild) { dl.removeChild(dl.firstChild); }
    var rec = records[key];
    if (!rec) { return; }
    Object.keys(rec).forEach(function (name) {
      var value = rec[name];
      if (value === null || value === "" || value === false && name !== "anonymous") { return; }
      var dt = document.createElement("dt"); dt.textContent = name;
      var dd = document.createElement("dd"); dd.textContent = String(value);
      dd.setAttribute("dir", "auto");
      dl.appendChild(dt); dl.appendChild(dd);
    });
  }
  function stackAt(el) {
    var keys = [];
    for (var n = el; n && n !== text; n = n.parentElement) {
      var key = n.getAttribute && n.getAttribute("data-rec");
      if (key && keys.indexOf(key) < 0) { keys.push(key); }
    }
    return keys;
  }
  function say() {
    hint.textContent = here.length > 1 ?
      "record " + (at + 1) + " of " + here.length + " here: click again (or Enter) for the next" : "";
  }
  function select(key, scroll) {
    current = key;
    mark("sel", [key]);
    mark("linked", links[key] || []);
    items.forEach(function (b) {
      var on = b.getAttribute("data-key") === key;
      b.classList.toggle("sel", on); b.setAttribute("aria-pressed", on ? "true" : "false");
    });
    fill(panel, key);
    say();
    var first = frags(key)[0];
    if (scroll && first) {
      first.scrollIntoView({block: "center", inline: "nearest"});
      here = stackAt(first); at = Math.max(0, here.indexOf(key)); say();
    }
    return first;
  }
  function cycle(el) {
    var keys = stackAt(el);
    var same = keys.length === here.length && keys.every(function (k, i) { return k === here[i]; });
    at = same && keys.indexOf(current) >= 0 ? (at + 1) % keys.length : 0;
    here = keys;
    select(keys[at], false);
    show(el, keys[at]);
  }
  function show(el, key) {
    var keys = stackAt(el);
    key = key || keys[0];
    fill(pop.querySelector("dl") || pop.appendChild(document.createElement("dl")), key);
    var more = pop.querySelector(".more") || pop.appendChild(document.createElement("p"));
    more.className = "more";
    more.textContent = keys.length > 1 ? (keys.length - 1) + " more record(s) here: click to cycle" : "";
    pop.hidden = false;
    var box = el.getBoundingClientRect(), w = pop.offsetWidth, h = pop.offsetHeight;
    var left = Math.min(Math.max(4, box.left), window.innerWidth - w - 4);
    var top = box.bottom + 6 + h > window.innerHeight ? box.top - h - 6 : box.bottom + 6;
    pop.style.left = Math.max(4, left) + "px"; pop.style.top = Math.max(4, top) + "px";
    mark("hl", [key].concat(links[key] || []));
  }
  function hide() { pop.hidden = true; mark("hl", []); }
  function rove(el) {
    stops.forEach(function (s) { s.tabIndex = -1; });
    if (el) { el.tabIndex = 0; el.focus({preventScroll: false}); }
  }

  text.addEventListener("click", function (event) {
    var el = event.target.closest("[data-rec]");
    if (!el || !text.contains(el)) { return; }
    cycle(el); stops.forEach(function (s) { s.tabIndex = -1; }); el.tabIndex = 0;
  });
  text.addEventListener("mouseover", function (event) {
    var el = event.target.closest("[data-rec]");
    if (el && text.contains(el)) { show(el); } else { hide(); }
  });
  text.addEventListener("mouseleave", hide);
  text.addEventListener("focusin", function (event) {
    var el = event.target.closest("[data-rec]");
    // a click focuses too: the click handler selects then (else it would step twice)
    if (el && el.matches(":focus-visible")) {
      here = stackAt(el); at = 0; select(here[0], false); show(el, here[0]);
    }
  });
  text.addEventListener("focusout", hide);
  text.addEventListener("keydown", function (event) {
    var el = event.target.closest("[data-rec]");
    if (!el) { return; }
    var step = {ArrowDown: 1, ArrowUp: -1, ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1}[event.key];
    if (step) {
      event.preventDefault();
      var i = stops.indexOf(el) + step;
      if (i >= 0 && i < stops.length) { rove(stops[i]); }
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault(); cycle(el);
    } else if (event.key === "Escape") { hide(); }
  });
  items.forEach(function (b) {
    b.addEventListener("click", function () {
      var first = select(b.getAttribute("data-key"), true);
      if (first) { stops.forEach(function (s) { s.tabIndex = -1; }); first.tabIndex = 0; }
    });
    b.addEventListener("mouseenter", function () {
      var key = b.getAttribute("data-key"); mark("hl", [key].concat(links[key] || []));
    });
    b.addEventListener("mouseleave", function () { mark("hl", []); });
    b.addEventListener("keydown", function (event) {
      var step = {ArrowDown: 1, ArrowUp: -1}[event.key];
      if (!step) { return; }
      event.preventDefault();
      var shown = items.filter(function (x) { return !x.parentElement.hidden; });
      var next = shown[shown.indexOf(b) + step];
      if (next) { next.focus(); }
    });
  });
  filter.addEventListener("input", function () {
    var q = filter.value.trim().toLowerCase();
    items.forEach(function (b) {
      b.parentElement.hidden = q !== "" && b.textContent.toLowerCase().indexOf(q) < 0;
    });
  });
  if (stops.length) { stops[0].tabIndex = 0; }
}
