/* Material's search worker with three changes, each because a reader's query missed without it.
 *
 * 1. A query word of one or two letters matches only that word. Material adds a trailing
 *    wildcard to every query word so that results follow typing; for a short word that wildcard
 *    matches every word starting with it: the "T" of "low T" matched "TRT", "testis" and
 *    "therapy", the "it" of "is it permanent" matched "ITT" (intratesticular testosterone) and
 *    the "no" of "no sperm" matched "Nolvadex", each ranked first for a question about something
 *    else. Words of three letters or more keep Material's wildcard ("azoosp", "testost"). A query
 *    with lunr syntax (quotes, +, ^, ~, *, :) is left as typed, and so is a word excluded with "-".
 *
 * 2. A glossary entry that the query names comes first, and the query also looks for the entry's
 *    headword. The build gives the worker every name of every entry (headword, long form,
 *    aliases, spellings, misspellings, lay terms, brand names; `glossary` in the index's
 *    configuration, from scripts/guide/search.py). When all the words of a name are in the
 *    query, in any order, with or without a plural "s" or an "-ing", that entry ranks above every
 *    other result ("no sperm": azoospermia, "clomid side effects": clomiphene, "balls
 *    shrinking": testicular atrophy, "can I still have kids": fertility, whose lay term is
 *    "having kids"). Lunr alone cannot: "no" is a stop word, so "no sperm" is "sperm" to it,
 *    and a rarer word that merely starts with "sperm" outscores the entry. A name inside a longer
 *    matched name ("FSH" in "FSH injections") gives way to it. The headword's words are added to
 *    the query as whole words, so that the chapters, which use the headword, are found too:
 *    "clomid side effects" finds the sections on clomiphene's warnings, which never say "Clomid".
 *    (Material does not list an added word as "Missing" under a result that lacks it.)
 *
 * 3. A glossary result opens its entry. Material groups results by page and makes the page the
 *    main link of each result; the glossary is one long page, so its main link opened the top of
 *    it. Here the best entry becomes the result's main item, with its definition as the teaser
 *    and the other matching entries below it. Material takes the item whose address has no "#"
 *    as the page, so the entry is given as "glossary/?entry=<id>"; docs/assets/search-level.js
 *    turns that into "glossary/#<id>" as the result is shown.
 *
 * Material documents its worker as replaceable (the "search" entry of its page configuration,
 * set in overrides/main.html). This one rewrites query messages and result messages and loads
 * Material's own worker, named in this file's address (?material=search.<hash>.min.js), which
 * does the rest. */
"use strict";

var SETUP = 0;  // Material's SearchMessageType
var QUERY = 2;
var RESULT = 3;
var separator = /[\s\-]+/;  // replaced by the site's own separator when the index arrives
var glossary = null;        // {url, names: [{id, words}], docs: {location: document}}
var pending = [];           // for each query sent on to Material's worker: {named, added}

/* 1. Short words ---------------------------------------------------------------------------- */

function wholeShortWords(query) {
  if (/["+^~*:]/.test(query)) return query;
  return query.split(/\s+/).map(function (part) {
    if (part.charAt(0) === "-") return part;  // lunr's "must not contain"
    return part.split(separator).filter(Boolean).map(function (word) {
      // A boost ends Material's wildcard; lunr's pipeline then drops a stop word ("it", "no").
      return /^[\p{L}\p{N}]{1,2}$/u.test(word) ? word + "^1" : word;
    }).join(" ");
  }).join(" ");
}

/* 2. Entries the query names ---------------------------------------------------------------- */

// A word as a name's word is compared: without a plural "s" ("testicles", "balls"; not
// "testis", "analysis", "less") or an "-ing" ("having kids" is named by "have kids").
function canon(word) {
  if (word.length > 3 && /[^siu]s$/.test(word)) word = word.slice(0, -1);
  if (word.length > 5 && /ing$/.test(word)) return {base: word.slice(0, -3), ing: true};
  return {base: word, ing: false};
}

function same(a, b) {
  return a.base === b.base || (a.ing && a.base + "e" === b.base) ||
    (b.ing && b.base + "e" === a.base);
}

function words(text) {
  return text.toLowerCase().split(separator).filter(Boolean).map(canon);
}

function holds(list, word) {
  return list.some(function (other) { return same(other, word); });
}

function setUpGlossary(config, docs) {
  var data = config.glossary;
  if (!data || !Array.isArray(data.names)) return null;
  var setup = {url: data.url, names: [], docs: {}, headwords: data.entries || {}};
  var seen = {};
  data.names.forEach(function (row) {
    var unique = words(row[0]).filter(function (word, i, all) {
      return !holds(all.slice(0, i), word);
    });
    var key = row[1] + ":" + unique.map(function (word) { return word.base; }).sort().join(" ");
    if (!unique.length || seen[key]) return;
    seen[key] = true;
    setup.names.push({id: row[1], words: unique});
  });
  docs.forEach(function (doc) {
    if (doc.location.split("#")[0] === data.url) setup.docs[doc.location] = doc;
  });
  return setup;
}

function includes(list, item) { return list.indexOf(item) !== -1; }

// The entries whose names the query holds, widest name first.
function namedEntries(query) {
  if (!glossary) return [];
  var typed = [];
  query.split(/\s+/).forEach(function (part) {
    if (part.charAt(0) === "-") return;  // excluded, not named
    typed = typed.concat(words(part.replace(/[\^~]\d*/g, " ").replace(/[*+":]/g, " ")));
  });
  var found = glossary.names.filter(function (name) {
    return name.words.every(function (word) { return holds(typed, word); });
  });
  var widest = found.filter(function (name) {
    return !found.some(function (other) {
      return other.id !== name.id && other.words.length > name.words.length &&
        name.words.every(function (word) { return holds(other.words, word); });
    });
  });
  widest.sort(function (a, b) { return b.words.length - a.words.length; });
  var ids = [];
  widest.forEach(function (name) { if (!includes(ids, name.id)) ids.push(name.id); });
  return ids;
}

// The words of each named entry's headword that the query lacks.
function headwordWords(query, named) {
  if (!named.length || /["+^~*:]/.test(query)) return [];
  var typed = words(query);
  var added = [];
  named.forEach(function (id) {
    var headword = glossary.headwords[id] || "";
    headword.toLowerCase().split(separator).filter(Boolean).forEach(function (word) {
      if (!holds(typed, canon(word)) && !includes(added, word)) added.push(word);
    });
  });
  return added;
}

// Material lists a query word a result lacks as "Missing"; a word the reader did not type is not.
function forgetAdded(groups, added) {
  groups.forEach(function (group) {
    group.forEach(function (doc) {
      added.forEach(function (word) {
        if (doc.terms && doc.terms[word] === false) delete doc.terms[word];
      });
    });
  });
}

function topScore(groups) {
  var top = 0;
  groups.forEach(function (group) {
    group.forEach(function (doc) { top = Math.max(top, doc.score); });
  });
  return top;
}

function byScore(a, b) { return b.score - a.score; }

function glossaryGroup(groups) {
  for (var i = 0; i < groups.length; i++) {
    if (groups[i].some(function (doc) {
      return doc.location.split("#")[0] === glossary.url;
    })) return groups[i];
  }
  return null;
}

function promote(groups, named) {
  var group = glossaryGroup(groups);
  if (!group) groups.push(group = []);
  var top = topScore(groups) || 1;
  named.forEach(function (id, rank) {
    var location = glossary.url + "#" + id;
    var doc = group.filter(function (item) { return item.location === location; })[0];
    if (!doc) {  // named but not matched by lunr (a name made of stop words)
      var stored = glossary.docs[location];
      if (!stored) return;
      doc = {location: stored.location, title: stored.title, text: stored.text,
             tags: stored.tags, terms: {}};
      group.push(doc);
    }
    doc.score = top * (2 + named.length - rank);
  });
  if (!group.length) groups.pop();
  group.sort(byScore);
  // Material lists results in the order of their best item; keep that order for the rest.
  var order = groups.map(function (items, index) {
    return {items: items, index: index, top: Math.max.apply(null, items.map(function (doc) {
      return doc.score;
    }))};
  });
  order.sort(function (a, b) { return b.top - a.top || a.index - b.index; });
  return order.map(function (entry) { return entry.items; });
}

/* 3. A glossary result opens its entry ------------------------------------------------------ */

function entryFirst(groups) {
  var group = glossaryGroup(groups);
  if (!group) return;
  var entries = group.filter(function (doc) { return doc.location.indexOf("#") !== -1; });
  if (!entries.length) return;  // only the page's own introduction matched
  entries.sort(byScore);
  var best = entries[0];
  var main = {};
  Object.keys(best).forEach(function (key) { main[key] = best[key]; });
  main.location = glossary.url + "?entry=" + encodeURIComponent(best.location.split("#")[1]);
  delete main.parent;
  group.length = 0;
  group.push(main);
  entries.slice(1).forEach(function (doc) { group.push(doc); });
}

function reshape(result, query) {
  if (!glossary || !result || !Array.isArray(result.items)) return result;
  if (query.added.length) forgetAdded(result.items, query.added);
  if (query.named.length) result.items = promote(result.items, query.named);
  entryFirst(result.items);
  return result;
}

/* Messages ---------------------------------------------------------------------------------- */

// Registered before Material's worker is loaded, so it sees each message first.
self.addEventListener("message", function (event) {
  var message = event.data;
  if (message.type === SETUP) {
    separator = new RegExp(message.data.config.separator);
    glossary = setUpGlossary(message.data.config, message.data.docs);
  }
  if (message.type === QUERY && typeof message.data === "string") {
    var named = namedEntries(message.data);
    var added = headwordWords(message.data, named);
    pending.push({named: named, added: added});
    message.data = wholeShortWords(message.data) + added.map(function (word) {
      return " " + word + "^1";  // whole words, like the short ones
    }).join("");
  }
});

// Material's worker answers each query, in order, with postMessage(result).
var post = self.postMessage.bind(self);
self.postMessage = function (message) {
  if (message && message.type === RESULT) {
    var query = pending.shift() || {named: [], added: []};
    try {
      reshape(message.data, query);
    } catch (error) {  // never lose Material's own result
      console.warn("search-worker.js: results left as Material ranked them", error);
    }
  }
  return post.apply(null, arguments);
};

var material = new URL(self.location.href).searchParams.get("material") || "";
if (!/^search\.[0-9a-f]+\.min\.js$/.test(material)) {
  throw new Error("search-worker.js: ?material= must name Material's search worker, not " +
                  JSON.stringify(material));
}
importScripts(material);
