// Page languages: catalogues from GET /i18n/<domain>/<lang>.json (gettext .po on the server,
// Chinese fallback). No eval, no inline anything (CSP script-src 'self').
//
//   load(domain, lang?, {document: true}) -> Promise<{lang, dir, name, t, languages}>
//   pick()          ?lang=, else the browser's language (the server 404s on ones it
//                               lacks and load() falls back), else zh
//   apply(root, cat) fill [data-i18n="key"] elements (textContent) and
//                               [data-i18n-title] / [data-i18n-placeholder] / [data-i18n-aria-label]
//   switcher(el, cat, onPick) the 中文 · English · ئۇيغۇرچە buttons
//   staff(domain, el, onChange) staff pages: 中文 / English toggle in el, kept in
//                               localStorage (?lang= wins), [data-i18n] applied, onChange(cat)

var SOURCE = "zh";
var cache = {};

function format(template, values) {
  if (!values) return template;
  return template.replace(/\{(\w+)\}/g, function (whole, name) {
    return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
  });
}

function catalogue(data) {
  var texts = data.texts || {};
  return {
    lang: data.lang,
    dir: data.dir,
    name: data.name,
    languages: data.languages || [],
    texts: texts,
    t: function (key, values) {
      var s = Object.prototype.hasOwnProperty.call(texts, key) ? texts[key] : key;
      return format(s, values);
    },
  };
}

function fetchOne(domain, lang) {
  var url = "/i18n/" + encodeURIComponent(domain) + "/" + encodeURIComponent(lang) + ".json";
  if (!cache[url]) {
    cache[url] = fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) {
        delete cache[url];
        throw new Error("i18n " + url + " " + r.status);
      }
      return r.json();
    });
  }
  return cache[url];
}

function queryLang() {
  try {
    return new URLSearchParams(location.search).get("lang") || "";
  } catch (e) {
    return "";
  }
}

function browserLangs() {
  var list =
    navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ""];
  var out = [];
  list.forEach(function (l) {
    var primary = String(l || "")
      .split(/[-_]/)[0]
      .toLowerCase();
    if (primary && out.indexOf(primary) < 0) out.push(primary);
  });
  return out;
}

// The candidates in order: ?lang=, the browser's, zh.
function candidates(lang) {
  var out = [];
  [lang || queryLang()].concat(browserLangs(), [SOURCE]).forEach(function (l) {
    l = String(l || "")
      .split(/[-_]/)[0]
      .toLowerCase();
    if (l && out.indexOf(l) < 0) out.push(l);
  });
  return out;
}

function pick() {
  return candidates()[0];
}

function setDocument(cat) {
  var html = document.documentElement;
  html.setAttribute("lang", cat.lang === SOURCE ? "zh-CN" : cat.lang);
  html.setAttribute("dir", cat.dir || "ltr");
}

function load(domain, lang, options) {
  var opts = options || {};
  var list = candidates(lang);
  function attempt(i) {
    return fetchOne(domain, list[i]).then(catalogue, function (err) {
      if (i + 1 < list.length) return attempt(i + 1);
      throw err;
    });
  }
  return attempt(0).then(function (cat) {
    if (opts.document !== false) setDocument(cat);
    return cat;
  });
}

var ATTRS = {
  "data-i18n-title": "title",
  "data-i18n-placeholder": "placeholder",
  "data-i18n-aria-label": "aria-label",
};

function apply(root, cat) {
  root = root || document;
  root.querySelectorAll("[data-i18n]").forEach(function (el) {
    el.textContent = cat.t(el.getAttribute("data-i18n"));
  });
  Object.keys(ATTRS).forEach(function (attr) {
    root.querySelectorAll("[" + attr + "]").forEach(function (el) {
      el.setAttribute(ATTRS[attr], cat.t(el.getAttribute(attr)));
    });
  });
}

// Buttons for the given languages (default: every language the catalogue offers), each in its
// own name and direction; the current one is pressed. onPick(code) is called on a click.
function switcher(el, cat, onPick, codes) {
  el.textContent = "";
  el.classList.add("lang-switch");
  cat.languages.forEach(function (l) {
    if (codes && codes.indexOf(l.code) < 0) return;
    var b = document.createElement("button");
    b.type = "button";
    b.className = "lang-option";
    b.textContent = l.name;
    b.setAttribute("lang", l.code);
    b.setAttribute("dir", l.dir);
    b.setAttribute("data-lang", l.code);
    b.setAttribute("aria-pressed", l.code === cat.lang ? "true" : "false");
    b.addEventListener("click", function () {
      onPick(l.code);
    });
    el.appendChild(b);
  });
  return el;
}

var STAFF_KEY = "onestop.staff.lang";
var STAFF_LANGS = ["zh", "en"];

function staff(domain, el, onChange) {
  var saved = "";
  try {
    saved = localStorage.getItem(STAFF_KEY) || "";
  } catch (e) {
    /* storage unavailable: no saved choice */
  }
  function use(lang, save) {
    lang = STAFF_LANGS.indexOf(lang) >= 0 ? lang : SOURCE;
    return load(domain, lang).then(function (cat) {
      if (save) {
        try {
          localStorage.setItem(STAFF_KEY, cat.lang);
        } catch (e) {
          /* private mode: the choice lasts for this page */
        }
      }
      document.body.setAttribute("data-lang", cat.lang);
      apply(document, cat);
      if (el) {
        switcher(
          el,
          cat,
          function (code) {
            use(code, true);
          },
          STAFF_LANGS
        );
      }
      if (onChange) onChange(cat);
      return cat;
    });
  }
  return use(queryLang() || saved || SOURCE, false);
}

export { load, pick, apply, switcher, format, staff };
