// newsdex's search page. The URL holds the whole state (query, filters,
// dates, sort, page, open article), so a search can be shared and the back
// button works. Every piece of text from the index or the user is put in the
// page with textContent or createTextNode: nothing is ever parsed as HTML.
"use strict";

const KINDS = [
  ["person", "Person"],
  ["place", "Place"],
  ["org", "Organisation"],
];
const KIND_LABEL = Object.fromEntries(KINDS);
const PAGE_SIZE = 10;
const FACET_LIMIT = 12;
const FACET_SEARCH_DELAY_MS = 200;

const $ = (id) => document.getElementById(id);
const encoder = new TextEncoder();
let generation = 0; // the latest request; older answers are dropped

// ---- small DOM helpers -------------------------------------------------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key.startsWith("data-")) node.setAttribute(key, value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

function clear(node) {
  node.replaceChildren();
}

function setState(state) {
  document.body.dataset.state = state;
}

function plural(n, one, many) {
  return `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
}

// ---- the URL as state ---------------------------------------------------

function currentParams() {
  return new URLSearchParams(location.search);
}

function go(params, replace) {
  const search = params.toString();
  const url = search ? `?${search}` : location.pathname;
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  load();
}

function withParams(change) {
  const params = currentParams();
  change(params);
  return params;
}

function searchParamsLink(params) {
  const s = params.toString();
  return s ? `?${s}` : "/";
}

// ---- text with marked ranges -------------------------------------------

// Maps byte offsets (as the API gives them) to string indices of `text`.
function byteIndex(text) {
  const map = new Map();
  let bytes = 0;
  let index = 0;
  for (const ch of text) {
    map.set(bytes, index);
    bytes += encoder.encode(ch).length;
    index += ch.length;
  }
  map.set(bytes, index);
  return (offset) => map.get(offset);
}

// Text as nodes, with byte ranges wrapped: `ranges` are
// {start, end, wrap: (textNode) => Element}. Nested wrapping where ranges
// overlap; invalid ranges are skipped.
function markedText(text, ranges) {
  const at = byteIndex(text);
  const spans = [];
  for (const r of ranges) {
    const start = at(r.start);
    const end = at(r.end);
    if (start === undefined || end === undefined || end <= start) continue;
    spans.push({ start, end, wrap: r.wrap });
  }
  const cuts = new Set([0, text.length]);
  for (const s of spans) {
    cuts.add(s.start);
    cuts.add(s.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const fragment = document.createDocumentFragment();
  for (let i = 0; i + 1 < points.length; i++) {
    const [from, to] = [points[i], points[i + 1]];
    let node = document.createTextNode(text.slice(from, to));
    for (const s of spans) {
      if (s.start <= from && to <= s.end) node = s.wrap(node);
    }
    fragment.append(node);
  }
  return fragment;
}

const markHit = (node) => el("mark", {}, node);

// ---- API -----------------------------------------------------------------

async function api(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  let body = null;
  try {
    body = await response.json();
  } catch (_) {
    body = null;
  }
  if (!response.ok) {
    const message = body && typeof body.error === "string" ? body.error : `the server answered ${response.status}`;
    throw new Error(message);
  }
  return body;
}

function notice(message) {
  const box = $("notice");
  if (message) {
    box.textContent = message;
    box.hidden = false;
  } else {
    box.textContent = "";
    box.hidden = true;
  }
}

// ---- loading a view from the URL ------------------------------------------

async function load() {
  const params = currentParams();
  const mine = ++generation;
  syncForm(params);
  renderChips(params);
  const article = params.get("article");
  const q = (params.get("q") || "").trim();
  document.title = q ? `${q} · newsdex` : "newsdex";
  if (article) return showArticle(article, params, mine);
  $("article").hidden = true;
  if (!q) return showWelcome();
  return runSearch(params, mine);
}

function syncForm(params) {
  const input = $("q");
  // A box the user is editing (even one they have just emptied) is theirs.
  if (document.activeElement !== input || !input.dataset.edited) input.value = params.get("q") || "";
  $("sort").value = params.get("sort") === "date" ? "date" : "relevance";
  $("since").value = params.get("since") || "";
  $("until").value = params.get("until") || "";
  $("all-copies").checked = params.get("all_copies") === "true";
}

function showWelcome() {
  notice("");
  setState("idle");
  $("welcome").hidden = false;
  $("timeline").hidden = true;
  clear($("results"));
  clear($("pager"));
  $("summary").textContent = "";
  renderFacets({});
}

async function runSearch(params, mine) {
  $("welcome").hidden = true;
  setState("loading");
  $("summary").textContent = "Searching…";
  document.body.setAttribute("aria-busy", "true");
  const query = new URLSearchParams();
  for (const [key, value] of params) {
    if (key !== "article") query.append(key, value);
  }
  query.set("facets", "person,place,org");
  query.set("facet_limit", String(FACET_LIMIT));
  query.set("limit", String(PAGE_SIZE));
  let data;
  try {
    data = await api(`/api/search?${query}`);
  } catch (e) {
    if (mine !== generation) return;
    document.body.removeAttribute("aria-busy");
    setState("error");
    notice(e.message);
    $("summary").textContent = "";
    clear($("results"));
    clear($("pager"));
    $("timeline").hidden = true;
    renderFacets({});
    return;
  }
  if (mine !== generation) return;
  document.body.removeAttribute("aria-busy");
  notice("");
  renderResults(data, params);
  renderFacets(data.facets || {}, params);
  renderTimeline(data.histogram, params);
  renderPager(data, params);
  setState(data.articles.length ? "results" : "empty");
}

// ---- results ---------------------------------------------------------------

function renderResults(data, params) {
  const list = $("results");
  clear(list);
  const summary = $("summary");
  clear(summary);
  if (!data.articles.length) {
    const filtered = KINDS.some(([k]) => params.getAll(k).length) || params.get("since") || params.get("until");
    summary.append(
      el("span", { class: "empty" }, "No articles match ", el("q", { text: data.query }),
        filtered ? ". Try removing a filter." : "."),
    );
    return;
  }
  const first = data.offset + 1;
  const last = data.offset + data.articles.length;
  summary.append(
    plural(data.total_articles, "article", "articles"), ", ",
    plural(data.total_passages, "passage", "passages"), " match ",
    el("q", { text: data.query }),
    data.total_articles > data.articles.length ? ` · showing ${first}–${last}` : "",
  );
  list.start = first;
  for (const article of data.articles) list.append(resultItem(article, params));
}

function resultItem(article, params) {
  const link = searchParamsLink(withParams((p) => p.set("article", article.id)));
  const meta = [article.date, article.source, article.id].filter(Boolean).join(" · ");
  const item = el("li", { class: "result", "data-id": article.id },
    el("h3", {}, el("a", { href: link, class: "title", onclick: (e) => follow(e, link) }, article.title || article.id)),
    el("div", { class: "meta" }, meta, article.copies ? el("span", { class: "copies", text: ` · +${article.copies} ${article.copies === 1 ? "copy" : "copies"}` }) : null),
  );
  for (const passage of article.passages) {
    const ranges = passage.highlights.map(([start, end]) => ({ start, end, wrap: markHit }));
    item.append(el("p", { class: "passage" }, markedText(passage.text, ranges)));
  }
  return item;
}

// Follows an in-page link with pushState (a modified click opens a tab).
function follow(event, link) {
  if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  history.pushState(null, "", link);
  load();
  window.scrollTo(0, 0);
}

function renderPager(data, params) {
  const pager = $("pager");
  clear(pager);
  const offset = data.offset;
  if (offset > 0) {
    pager.append(el("button", {
      type: "button", text: "← Previous",
      onclick: () => go(withParams((p) => setOffset(p, Math.max(0, offset - PAGE_SIZE)))),
    }));
  }
  if (offset + data.articles.length < data.total_articles) {
    pager.append(el("button", {
      type: "button", text: "Next →",
      onclick: () => go(withParams((p) => setOffset(p, offset + PAGE_SIZE))),
    }));
  }
}

function setOffset(params, offset) {
  if (offset > 0) params.set("offset", String(offset));
  else params.delete("offset");
}

// ---- filters: chips and facets ----------------------------------------------

function renderChips(params) {
  const chips = $("chips");
  clear(chips);
  for (const [kind, label] of KINDS) {
    for (const name of params.getAll(kind)) {
      chips.append(chip(`${label}: ${name}`, kind, () => {
        go(withParams((p) => {
          const rest = p.getAll(kind).filter((n) => n !== name);
          p.delete(kind);
          for (const n of rest) p.append(kind, n);
          p.delete("offset");
          p.delete("article");
        }));
      }));
    }
  }
  const since = params.get("since");
  const until = params.get("until");
  if (since || until) {
    chips.append(chip(`Dates: ${since || "…"} – ${until || "…"}`, "date", () => {
      go(withParams((p) => {
        p.delete("since");
        p.delete("until");
        p.delete("offset");
      }));
    }));
  }
}

function chip(label, kind, remove) {
  return el("span", { class: `chip chip-${kind}` },
    el("span", { class: "chip-label", text: label }),
    el("button", { type: "button", class: "chip-remove", "aria-label": `Remove ${label}`, title: "Remove this filter", text: "×", onclick: remove }),
  );
}

function addFilter(kind, name) {
  go(withParams((p) => {
    if (!p.getAll(kind).includes(name)) p.append(kind, name);
    p.delete("offset");
    p.delete("article");
  }));
}

function renderFacets(facets, params) {
  for (const section of document.querySelectorAll(".facet")) {
    const kind = section.dataset.kind;
    const filter = section.querySelector(".facet-filter");
    if (filter.value.trim()) continue; // a facet-value search is showing
    fillFacet(section, facets[kind] || [], params, params ? "No values in these results" : "");
  }
}

function fillFacet(section, values, params, emptyText) {
  const kind = section.dataset.kind;
  const list = section.querySelector(".facet-values");
  clear(list);
  const active = new Set(params ? params.getAll(kind) : []);
  for (const value of values) {
    const on = active.has(value.name);
    list.append(el("li", {},
      el("button", {
        type: "button",
        class: on ? "facet-value active" : "facet-value",
        "aria-pressed": on ? "true" : "false",
        "data-name": value.name,
        title: on ? "Already a filter" : `Only articles naming ${value.name}`,
        onclick: () => addFilter(kind, value.name),
      }, el("span", { class: "facet-name", text: value.name }), el("span", { class: "facet-count", text: String(value.count) })),
    ));
  }
  if (!values.length && emptyText) list.append(el("li", { class: "facet-empty", text: emptyText }));
}

function setupFacetSearch() {
  for (const section of document.querySelectorAll(".facet")) {
    const kind = section.dataset.kind;
    const input = section.querySelector(".facet-filter");
    let timer = 0;
    let asked = 0;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const text = input.value.trim();
        const mine = ++asked;
        if (!text) {
          load();
          return;
        }
        try {
          const data = await api(`/api/entities?${new URLSearchParams({ kind, q: text, limit: String(FACET_LIMIT) })}`);
          if (mine !== asked) return;
          fillFacet(section, data.values, currentParams(), "No match in the index");
          section.querySelector(".facet-values").prepend(el("li", { class: "facet-note", text: "Counts over the whole index" }));
        } catch (e) {
          if (mine === asked) notice(e.message);
        }
      }, FACET_SEARCH_DELAY_MS);
    });
  }
}

// ---- timeline ---------------------------------------------------------------

function renderTimeline(histogram, params) {
  const box = $("timeline");
  const bars = $("bars");
  clear(bars);
  const buckets = histogram ? histogram.buckets : [];
  if (!buckets.length) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  const max = Math.max(1, ...buckets.map((b) => b.count));
  $("timeline-interval").textContent = `by ${histogram.interval}` + (histogram.undated ? ` · ${plural(histogram.undated, "undated article", "undated articles")}` : "");
  for (const b of buckets) {
    const span = b.start === b.end ? b.start : `${b.start} to ${b.end}`;
    const label = `${span}: ${plural(b.count, "article", "articles")}`;
    const bar = el("button", {
      type: "button",
      class: b.count ? "bar" : "bar zero",
      title: label,
      "aria-label": label,
      "data-start": b.start,
      "data-end": b.end,
      disabled: b.count === 0,
      onclick: () => go(withParams((p) => {
        p.set("since", b.start);
        p.set("until", b.end);
        p.delete("offset");
      })),
    }, el("span", { class: "fill" }));
    bar.firstChild.style.height = `${Math.max(b.count ? 4 : 0, Math.round((b.count / max) * 100))}%`;
    bars.append(bar);
  }
  $("axis-start").textContent = buckets[0].start;
  $("axis-end").textContent = buckets[buckets.length - 1].end;
}

// ---- one article --------------------------------------------------------------

async function showArticle(id, params, mine) {
  $("welcome").hidden = true;
  setState("loading");
  const view = $("article");
  const q = params.get("q") || "";
  let data;
  try {
    data = await api(`/api/article/${encodeURIComponent(id)}${q ? `?${new URLSearchParams({ q })}` : ""}`);
  } catch (e) {
    if (mine !== generation) return;
    setState("error");
    notice(e.message);
    clear(view);
    view.hidden = false;
    view.append(backButton(params));
    hideResults();
    return;
  }
  if (mine !== generation) return;
  notice("");
  hideResults();
  clear(view);
  view.hidden = false;
  view.append(backButton(params));
  view.append(el("h1", { class: "article-title", text: data.title || data.id }));
  const meta = el("div", { class: "meta" }, [data.date, data.source, data.author, data.id].filter(Boolean).join(" · "));
  const url = safeUrl(data.url);
  if (url) meta.append(" · ", el("a", { href: url, rel: "noopener noreferrer", target: "_blank", text: "original" }));
  view.append(meta);
  const legend = el("div", { class: "entities" });
  for (const [kind, label] of KINDS) {
    const names = data.entities[`${kind}s`] || [];
    if (!names.length) continue;
    const row = el("div", { class: "entity-row" }, el("span", { class: "entity-kind", text: `${label}s` }));
    for (const name of names) {
      row.append(el("button", { type: "button", class: `mention ${kind}`, title: `Filter on ${name}`, text: name, onclick: () => addFilter(kind, name) }));
    }
    legend.append(row);
  }
  view.append(legend);
  const body = el("div", { class: "article-body" });
  for (const passage of data.passages) {
    const ranges = passage.mentions.map((m) => ({
      start: m.start,
      end: m.end,
      wrap: (node) => el("span", { class: `mention ${m.kind}`, title: `${KIND_LABEL[m.kind]}: ${m.name}` }, node),
    }));
    for (const [start, end] of passage.highlights) ranges.push({ start, end, wrap: markHit });
    body.append(el("p", { "data-ordinal": String(passage.ordinal) }, markedText(passage.text, ranges)));
  }
  view.append(body);
  document.title = `${data.title} · newsdex`;
  setState("article");
}

function hideResults() {
  $("timeline").hidden = true;
  clear($("results"));
  clear($("pager"));
  $("summary").textContent = "";
}

function backButton(params) {
  const rest = new URLSearchParams(params);
  rest.delete("article");
  const link = searchParamsLink(rest);
  return el("a", { class: "back", href: link, onclick: (e) => follow(e, link), text: "← Back to results" });
}

// Only web links are followed; anything else (javascript:, data:) is dropped.
function safeUrl(url) {
  if (!url) return null;
  try {
    const parsed = new URL(url, location.href);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch (_) {
    return null;
  }
}

// ---- status, form and keys ---------------------------------------------------

async function checkIndex() {
  try {
    const status = await api("/api/status");
    if (!status.ready) {
      notice(status.error || `No index at ${status.index}.`);
      setState("no-index");
    }
  } catch (e) {
    notice(`Cannot reach the newsdex server: ${e.message}`);
  }
}

function setupForm() {
  $("q").addEventListener("input", () => {
    $("q").dataset.edited = "true";
  });
  $("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    delete $("q").dataset.edited;
    const q = $("q").value.trim();
    go(withParams((p) => {
      if (q) p.set("q", q);
      else p.delete("q");
      p.delete("offset");
      p.delete("article");
    }));
  });
  const option = (id, apply) => $(id).addEventListener("change", () => {
    go(withParams((p) => {
      apply(p, $(id));
      p.delete("offset");
    }));
  });
  option("sort", (p, input) => (input.value === "date" ? p.set("sort", "date") : p.delete("sort")));
  option("since", (p, input) => (input.value ? p.set("since", input.value) : p.delete("since")));
  option("until", (p, input) => (input.value ? p.set("until", input.value) : p.delete("until")));
  option("all-copies", (p, input) => (input.checked ? p.set("all_copies", "true") : p.delete("all_copies")));
  $("home").addEventListener("click", (e) => follow(e, "/"));
}

function setupKeys() {
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const typing = target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      $("q").focus();
      $("q").select();
    } else if (event.key === "Escape" && currentParams().get("article") && !typing) {
      go(withParams((p) => p.delete("article")));
    }
  });
}

window.addEventListener("popstate", load);
document.addEventListener("DOMContentLoaded", () => {
  setupForm();
  setupKeys();
  setupFacetSearch();
  checkIndex();
  load();
});
