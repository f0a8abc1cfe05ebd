/* Smart Notes widget (issue 6): the latest publications on a partner's page.
 *
 *   <div data-smartnotes-widget data-collection="notes" data-limit="5">
 *     <a href="https://our.site/notes/">Latest Smart Notes</a></div>
 *   <script async src="https://our.site/embed/widget.js"></script>
 *
 * or one <script src=".../embed/widget.js" data-tag="..."> alone. Options:
 * data-collection, data-tag, data-country, data-limit (1-50). It reads the
 * static JSON the build writes next to it (embed/...), renders inside a
 * Shadow DOM so neither page's CSS leaks into the other, and builds every
 * node with text, never HTML from data. A wrong option is explained in the
 * console and the fallback link stays as it is.
 */
(function () {
  "use strict";
  var NAME = "Smart Notes widget";
  var OPTIONS = ["collection", "tag", "country", "limit"];
  var FOLDERS = { collection: "collections", tag: "tags", country: "countries" };
  var MAX_LIMIT = 50;
  var CSS =
    ":host{display:block}" +
    ".sn{font:inherit;color:inherit}" +
    ".sn ol{list-style:none;margin:0;padding:0}" +
    ".sn li{margin:0 0 .9em}" +
    ".sn .t{font-weight:600}" +
    ".sn .m{display:block;font-size:.8em;opacity:.75}" +
    ".sn .k{text-transform:uppercase;letter-spacing:.04em;font-weight:700;margin-right:.6em}" +
    ".sn p{margin:.2em 0 0}" +
    ".sn .f{font-size:.85em}";

  var script = document.currentScript || findScript();
  if (!script) { return; }
  var base = new URL("..", script.src); // the site root: the script lives at <site>/embed/widget.js

  function findScript() {
    var all = document.querySelectorAll("script[src]");
    for (var i = all.length - 1; i >= 0; i--) {
      if (/\/embed\/widget\.js(\?|#|$)/.test(all[i].src)) { return all[i]; }
    }
    return null;
  }

  function fail(message) {
    console.error(NAME + ": " + message);
  }

  function slug(value) {
    return value.trim().toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  }

  // The options of one element, or null after explaining what is wrong.
  // Unknown data- attributes are typos on our element, but a <script> may
  // carry other tools' (data-cfasync): there they are only a warning.
  function readOptions(element, lenient) {
    var options = { limit: 5 }, problems = [], warnings = [];
    for (var i = 0; i < element.attributes.length; i++) {
      var name = element.attributes[i].name, value = element.attributes[i].value;
      if (name.indexOf("data-") !== 0 || name === "data-smartnotes-widget") { continue; }
      var key = name.slice(5);
      if (OPTIONS.indexOf(key) < 0) {
        (lenient ? warnings : problems).push("unknown attribute " + name + " — use data-collection, data-tag, data-country or data-limit");
      } else if (key === "limit") {
        if (!/^\s*\d+\s*$/.test(value) || +value < 1 || +value > MAX_LIMIT) {
          problems.push('data-limit="' + value + '" is not a whole number from 1 to ' + MAX_LIMIT);
        } else {
          options.limit = +value;
        }
      } else if (!slug(value)) {
        problems.push(name + '="' + value + '" is empty — remove it or give a value');
      } else {
        options[key] = slug(value);
      }
    }
    if (warnings.length) { console.warn(NAME + ": " + warnings.join("; ")); }
    if (problems.length) {
      fail(problems.join("; "));
      return null;
    }
    return options;
  }

  function fetchJson(path) {
    return fetch(new URL(path, base).href, { credentials: "omit" }).then(function (response) {
      if (!response.ok) {
        var error = new Error(response.status + " for " + response.url);
        error.status = response.status;
        throw error;
      }
      return response.json();
    });
  }

  // A 404 means a value that does not exist: say which values do.
  function explainMissing(kind, value) {
    fetchJson("embed/index.json").then(function (index) {
      var known = Object.keys(index[FOLDERS[kind]] || {});
      fail("there is no " + kind + ' "' + value + '" on ' + index.site_name + " (" + base.href + "). " +
        "Valid data-" + kind + " values: " + (known.join(", ") || "none") + ".");
    }, function () {
      fail("there is no " + kind + ' "' + value + '" on ' + base.href);
    });
  }

  function matches(options, entry) {
    return (!options.collection || entry.collection === options.collection) &&
      (!options.tag || entry.tags.indexOf(options.tag) >= 0) &&
      (!options.country || entry.countries.indexOf(options.country) >= 0);
  }

  function safeUrl(value) {
    try {
      var url = new URL(String(value), base);
      if (url.protocol === "https:" || url.protocol === "http:") { return url.href; }
    } catch (error) { /* fall through */ }
    return base.href;
  }

  function node(tag, className, text) {
    var element = document.createElement(tag);
    if (className) { element.className = className; }
    if (text) { element.appendChild(document.createTextNode(String(text))); }
    return element;
  }

  function link(href, text, className) {
    var anchor = node("a", className, text);
    anchor.href = safeUrl(href);
    return anchor;
  }

  function render(host, data, entries) {
    var root = host.attachShadow({ mode: "open" });
    root.appendChild(node("style", "", CSS));
    var section = node("section", "sn");
    section.setAttribute("aria-label", String(data.title || "") + " — " + String(data.site_name || ""));
    var list = node("ol");
    entries.forEach(function (entry) {
      var item = node("li");
      item.appendChild(link(entry.url, entry.title, "t"));
      var meta = node("span", "m");
      meta.appendChild(node("span", "k", entry.kind));
      var time = node("time", "", entry.date_label);
      time.setAttribute("datetime", String(entry.date || ""));
      meta.appendChild(time);
      item.appendChild(meta);
      if (entry.summary) { item.appendChild(node("p", "", entry.summary)); }
      list.appendChild(item);
    });
    if (entries.length) {
      section.appendChild(list);
    } else {
      section.appendChild(node("p", "", "No matching publications yet."));
    }
    var footer = node("p", "f");
    footer.appendChild(link(data.listing_url, "More on " + (data.site_name || "our site")));
    section.appendChild(footer);
    root.appendChild(section);
  }

  function start(host, options) {
    var kind = options.tag ? "tag" : options.country ? "country" : options.collection ? "collection" : "";
    var path = kind ? "embed/" + FOLDERS[kind] + "/" + options[kind] + ".json" : "embed/all.json";
    fetchJson(path).then(function (data) {
      var entries = (data.publications || []).filter(function (entry) { return matches(options, entry); });
      render(host, data, entries.slice(0, options.limit));
    }, function (error) {
      if (error.status === 404 && kind) {
        explainMissing(kind, options[kind]);
      } else {
        fail("could not load " + path + " from " + base.href + " (" + error.message + "). " +
          "The site must send Access-Control-Allow-Origin: * for embed/*.json.");
      }
    });
  }

  function mount(host) {
    if (host.shadowRoot || host.snWidget) { return; }
    host.snWidget = true;
    var options = readOptions(host);
    if (options) { start(host, options); }
  }

  // One <script> with data- options renders right after itself.
  var own = OPTIONS.some(function (key) { return script.hasAttribute("data-" + key); });
  if (own && !script.snWidget) {
    script.snWidget = true;
    var options = readOptions(script, true);
    if (options) {
      var host = document.createElement("div");
      host.snWidget = true;
      script.parentNode.insertBefore(host, script.nextSibling);
      start(host, options);
    }
  }

  function mountAll() {
    var hosts = document.querySelectorAll("[data-smartnotes-widget]");
    for (var i = 0; i < hosts.length; i++) { mount(hosts[i]); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mountAll);
  } else {
    mountAll();
  }
})();
