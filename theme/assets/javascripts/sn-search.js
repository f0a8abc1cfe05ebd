// Search box in the header (issue 5): Pagefind's JS API over the publications.
// Data from the index (titles, labels, dates) goes into the page as text
// nodes only; the excerpt keeps Pagefind's <mark> highlights and nothing else.

const PAGE_SIZE = 10;
const TYPING_DELAY_MS = 120;
// Pagefind's default ranking favours short pages (pageLength 0.75), which
// suits sites of nav stubs and articles; here every page is a publication,
// and a thorough one should not lose to a short one that says less. Equal
// scores then go newest first (see showMore).
const RANKING = { pageLength: 0 };

const root = document.querySelector("[data-sn-search]");
if (root) setUp(root);

function setUp(root) {
  const form = root.querySelector(".sn-search__form");
  const input = root.querySelector(".sn-search__input");
  const panel = root.querySelector(".sn-search__panel");
  const status = root.querySelector(".sn-search__status");
  const list = root.querySelector(".sn-search__results");
  const more = root.querySelector(".sn-search__more");
  const selects = [...root.querySelectorAll("select[data-filter]")];
  const bundle = new URL(root.dataset.bundle, document.baseURI);

  let engine = null; // Promise of the Pagefind module, loaded on first use
  let menus = null; // Promise of the filter menus' options, loaded after the first results
  let generation = 0; // the newest search; older answers are dropped
  let results = [];
  let shown = 0;
  let timer = 0;
  let quiet = false; // focusing the box without opening the panel

  function load() {
    if (!engine) {
      engine = import(new URL("pagefind.js", bundle).href).then(async (pagefind) => {
        await pagefind.options({ baseUrl: new URL("..", bundle).pathname, ranking: RANKING });
        await pagefind.init();
        return pagefind;
      });
      engine.catch(() => { status.textContent = "Search is not available on this copy of the site."; });
    }
    return engine;
  }

  // The filter indexes grow with the corpus (every publication is in several
  // of them): fetch them when the reader turns to the menus or once the first
  // results are shown, never before the first result.
  function loadMenus() {
    if (!menus) menus = load().then((pagefind) => pagefind.filters()).then(fillFilters);
    return menus;
  }

  function fillFilters(available) {
    for (const select of selects) {
      const counts = available[select.dataset.filter] || {};
      const names = Object.keys(counts).sort(select.dataset.filter === "year"
        ? (a, b) => b.localeCompare(a)
        : (a, b) => a.localeCompare(b, undefined, { sensitivity: "base" }));
      for (const name of names) select.append(new Option(`${name} (${counts[name]})`, name));
    }
  }

  function chosenFilters() {
    const filters = {};
    for (const select of selects) if (select.value) filters[select.dataset.filter] = select.value;
    return filters;
  }

  function open() {
    panel.hidden = false;
    // A search box has no aria-expanded (only a combobox has): the open
    // panel is a class for the styles; the status line speaks the results.
    root.classList.add("sn-search--open");
    load();
  }

  function close() {
    panel.hidden = true;
    root.classList.remove("sn-search--open");
  }

  async function run() {
    const mine = ++generation;
    const term = input.value.trim();
    const filters = chosenFilters();
    if (!term && !Object.keys(filters).length) {
      results = [];
      list.replaceChildren();
      more.hidden = true;
      status.textContent = "";
      root.dataset.query = "";
      return;
    }
    const pagefind = await load();
    // Without words there is no relevance: Pagefind keeps the order pages
    // were indexed in, newest first (core/search.py).
    const found = await pagefind.search(term || null, { filters });
    if (mine !== generation || !found) return;
    results = found.results;
    shown = 0;
    list.replaceChildren();
    status.textContent = results.length > 1 ? `${results.length} publications`
      : results.length === 1 ? "1 publication"
      : term ? `No publication matches “${term}”` : "No publication matches these filters";
    await showMore(mine);
    if (mine !== generation) return;
    root.dataset.query = term; // settled: for tests and styling
    loadMenus();
  }

  // Results appear group by group of equal scores, each group newest first.
  // The first group is shown as soon as its records arrive; the rest of the
  // page of results is fetched after it, so the first result waits for no
  // other result's record.
  async function showMore(mine) {
    const batch = results.slice(shown, shown + PAGE_SIZE);
    const groups = [];
    for (const result of batch) {
      const last = groups[groups.length - 1];
      if (last && last[0].score === result.score) last.push(result);
      else groups.push([result]);
    }
    const fetchGroup = (group) => Promise.all(group.map(async (r) => ({ score: r.score, ...(await r.data()) })));
    const first = shown === 0;
    const pending = [fetchGroup(groups[0] || [])];
    for (const [index, group] of groups.entries()) {
      const data = await pending[index];
      if (mine !== generation) return;
      data.sort((a, b) => time(b) - time(a));
      for (const item of data) list.append(resultItem(item));
      if (index === 0) {
        if (first) performance.mark("sn-search:first-result"); // bench/bench_search.py
        pending.push(...groups.slice(1).map(fetchGroup));
      }
    }
    shown += batch.length;
    more.hidden = shown >= results.length;
  }

  function time(item) {
    return Date.parse(item.meta?.date) || 0;
  }

  function resultItem(data) {
    const meta = data.meta || {};
    const item = element("li", "sn-search__item");
    const link = element("a", "sn-search__link");
    link.href = data.url;
    link.append(element("span", "sn-search__title", meta.title || data.url));
    const byline = element("span", "sn-search__byline");
    if (meta.kind) byline.append(element("span", "sn-kind", meta.kind));
    if (meta.date_label) {
      const time = element("time", "sn-search__date", meta.date_label);
      if (meta.date) time.dateTime = meta.date;
      byline.append(time);
    }
    link.append(byline);
    if (input.value.trim() && data.excerpt) {
      const excerpt = element("span", "sn-search__excerpt");
      excerpt.append(...markedText(data.excerpt));
      link.append(excerpt);
    }
    item.append(link);
    return item;
  }

  function links() {
    return [...list.querySelectorAll(".sn-search__link")];
  }

  async function openFirst() {
    clearTimeout(timer);
    await run();
    const first = links()[0];
    if (first) window.location.assign(first.href);
  }

  input.addEventListener("focus", () => { if (!quiet) open(); });
  input.addEventListener("input", () => {
    open();
    clearTimeout(timer);
    timer = setTimeout(run, TYPING_DELAY_MS);
  });
  for (const select of selects) select.addEventListener("change", run);
  const menuGroup = root.querySelector(".sn-search__filters");
  for (const type of ["pointerenter", "focusin", "touchstart"]) {
    menuGroup.addEventListener(type, loadMenus, { passive: true });
  }
  more.addEventListener("click", () => showMore(generation));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    openFirst();
  });

  root.addEventListener("keydown", (event) => {
    const all = links();
    const at = all.indexOf(document.activeElement);
    if (event.key === "Escape") {
      close();
      quiet = true; // back in the box, panel closed
      input.focus();
      quiet = false;
    } else if (event.key === "ArrowDown" && (event.target === input || at >= 0) && all.length) {
      event.preventDefault();
      all[Math.min(at + 1, all.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      (at === 0 ? input : all[at - 1]).focus();
    }
  });

  // `/`, `s` or `f` anywhere focuses the box, as in Material.
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    if (event.key === "/" || event.key === "s" || event.key === "f") {
      event.preventDefault();
      input.focus();
      input.select();
    }
  });

  document.addEventListener("pointerdown", (event) => {
    if (!root.contains(event.target)) close();
  });
  root.addEventListener("focusout", (event) => {
    if (event.relatedTarget && !root.contains(event.relatedTarget)) close();
  });
}

function isTyping(target) {
  return target instanceof HTMLElement &&
    (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// Pagefind's excerpt is text with < and > escaped and matches wrapped in
// <mark>. Parse it inertly and keep only the marks; anything else is text.
function markedText(excerpt) {
  const parsed = new DOMParser().parseFromString(`<body>${excerpt}</body>`, "text/html");
  return [...parsed.body.childNodes].map((node) =>
    node.nodeName === "MARK"
      ? element("mark", "", node.textContent)
      : document.createTextNode(node.textContent));
}
