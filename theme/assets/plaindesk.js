/* Plaindesk: in-page filters for boards, funnels and directory tables.
   Without JavaScript the forms stay hidden and every card and row is shown. */
(function () {
  "use strict";

  function matches(el, filters) {
    var d = el.dataset;
    if (filters.q && (d.search || "").indexOf(filters.q) === -1) return false;
    // a summary row stands for many cards: data-assignees and data-priorities list theirs
    if (filters.assignee !== undefined && filters.assignee !== "*" && !has(d.assignees, d.assignee, filters.assignee)) return false;
    if (filters.priority && filters.priority !== "*" && !has(d.priorities, d.priority, filters.priority)) return false;
    if (filters.kind && filters.kind !== "*" && d.kind !== filters.kind) return false;
    if (filters.person && filters.person !== "*" && d.person !== filters.person) return false;
    if (filters.project && filters.project !== "*" && d.project !== filters.project) return false;
    // data-tags is a JSON list: a tag may hold spaces ("decision maker" is not "maker")
    if (filters.tag && filters.tag !== "*" && JSON.parse(d.tags || "[]").indexOf(filters.tag) === -1) return false;
    return true;
  }

  function has(list, one, value) {
    return list !== undefined ? JSON.parse(list).indexOf(value) !== -1 : one === value;
  }

  // The text filter travels in the URL as ?find=: Material opens its search over a page
  // whose URL has ?q= (an older link's ?q= is still read).
  function param(name) {
    return name === "q" ? "find" : name;
  }

  function initialValue(initial, name) {
    if (initial.has(param(name))) return initial.get(param(name));
    return initial.has(name) ? initial.get(name) : null;
  }

  function read(form) {
    var out = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name) return;
      out[field.name] = field.name === "q" ? field.value.trim().toLowerCase() : field.value;
    });
    return out;
  }

  function targets(form) {
    if (form.dataset.rows) return document.querySelectorAll(form.dataset.rows);
    if (form.dataset.target) {
      var table = document.getElementById(form.dataset.target);
      return table ? table.querySelectorAll("tbody tr") : [];
    }
    var scope = form.parentElement;
    return scope.querySelectorAll(form.classList.contains("pd-feed-filter") ? ".pd-feed-entry" : ".pd-card");
  }

  function apply(form) {
    var filters = read(form);
    var shown = 0, total = 0;
    Array.prototype.forEach.call(targets(form), function (el) {
      var ok = matches(el, filters);
      el.hidden = !ok;
      total += 1;
      if (ok) shown += 1;
    });
    // a feed day whose entries are all filtered out disappears with them
    Array.prototype.forEach.call(form.parentElement.querySelectorAll(".pd-feed-day"), function (day) {
      day.hidden = !day.querySelector(".pd-feed-entry:not([hidden])");
    });
    var out = form.querySelector("output");
    if (out) out.textContent = shown === total ? "" : shown + " / " + total;
    var params = new URLSearchParams();
    Object.keys(filters).forEach(function (k) {
      // "" is a choice of the assignee filter (nobody), not the want of one
      if ((filters[k] || k === "assignee") && filters[k] !== "*") params.set(param(k), filters[k]);
    });
    var query = params.toString();
    history.replaceState(null, "", query ? "?" + query : location.pathname);
    months(form, filters);
    elsewhere(form, filters, shown, total, query);
  }

  // A paged list: nothing matching on this page says where else to look (the note in the
  // form), marks the pages whose names could match the text, and the links to the other
  // pages and boards keep the filters.
  function elsewhere(form, filters, shown, total, query) {
    var note = form.querySelector(".pd-elsewhere");
    var active = Object.keys(filters).some(function (k) { return filters[k] && filters[k] !== "*"; });
    if (note) note.hidden = !(active && total > 0 && shown === 0);
    var q = filters.q || "";
    Array.prototype.forEach.call(document.querySelectorAll(".pd-pager a[data-first]"), function (a) {
      var n = q.length, hit = n > 0 && a.dataset.first.slice(0, n) <= q && q <= a.dataset.last.slice(0, n);
      a.classList.toggle("pd-match", hit && shown === 0);
    });
    // a link's own query (data-query: the filters its board opens with) comes first
    Array.prototype.forEach.call(document.querySelectorAll("a.pd-keep-query"), function (a) {
      var both = [a.dataset.query || "", query].filter(Boolean).join("&");
      a.href = a.href.split("?")[0] + (both ? "?" + both : "");
    });
  }

  // The feed is paged by month: each month's link says how many of its entries match
  // the filters (a month without any is dimmed), and keeps the filters when followed.
  function months(form, filters) {
    if (!form.classList.contains("pd-feed-filter")) return;
    var query = location.search;
    Array.prototype.forEach.call(document.querySelectorAll(".pd-months .pd-month"), function (m) {
      var pairs = JSON.parse(m.dataset.pairs || "{}"), n = 0;
      Object.keys(pairs).forEach(function (pair) {
        var cut = pair.indexOf("|"), person = pair.slice(0, cut), project = pair.slice(cut + 1);
        if (filters.person && filters.person !== "*" && person !== filters.person) return;
        if (filters.project && filters.project !== "*" && project !== filters.project) return;
        n += pairs[pair];
      });
      m.querySelector(".pd-month-count").textContent = n;
      m.classList.toggle("pd-none", n === 0);
      if (m.tagName === "A") m.href = m.href.split("?")[0] + query;
    });
  }

  // Material's search overlay is a dialog without a name (WCAG 4.1.2): it takes the
  // (translated) label of its own search field.
  function nameSearchDialog() {
    var dialog = document.querySelector(".md-search[role=dialog]:not([aria-label])");
    var field = dialog && dialog.querySelector("input[aria-label]");
    if (field) dialog.setAttribute("aria-label", field.getAttribute("aria-label"));
  }

  function init() {
    nameSearchDialog();
    var initial = new URLSearchParams(location.search);
    Array.prototype.forEach.call(document.querySelectorAll("form.pd-filters"), function (form) {
      form.hidden = false;
      Array.prototype.forEach.call(form.elements, function (field) {
        var value = field.name ? initialValue(initial, field.name) : null;
        if (value !== null) field.value = value;
        field.addEventListener(field.tagName === "SELECT" ? "change" : "input", function () {
          // a paged list's tag filter opens the tag's page (every page of the list at once)
          var option = field.tagName === "SELECT" && field.hasAttribute("data-go") && field.selectedOptions[0];
          if (option && option.dataset.url) {
            location.href = option.dataset.url;
            return;
          }
          apply(form);
        });
      });
      if (initial.toString()) apply(form);
    });
  }

  // A board wider than the page scrolls sideways; keep that scrollbar within the window.
  function fit() {
    Array.prototype.forEach.call(document.querySelectorAll(".pd-board"), function (board) {
      board.classList.remove("pd-wide");
      if (board.scrollWidth > board.clientWidth + 1) board.classList.add("pd-wide");
    });
  }

  function start() {
    init();
    fit();
    window.addEventListener("resize", fit);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
