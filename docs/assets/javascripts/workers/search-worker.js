/* Material's search worker with one change: a one-letter word in a query matches only that word.
 *
 * Material adds a trailing wildcard to every query word so that results follow typing. For a word
 * of one letter that wildcard matches every word starting with the letter: the "T" of "low T", the
 * readers' name for low testosterone, matched "TRT", "testis", "therapy", "Testogel" and the rest,
 * and the glossary entry that says "low T" came fifth on the glossary page. Words of two letters or
 * more keep Material's wildcard; a query with lunr syntax (quotes, +, ^, ~, *, :) is left as typed.
 *
 * Material documents its worker as replaceable (the "search" entry of its page configuration,
 * set in overrides/main.html). This one rewrites query messages and then loads Material's own
 * worker, named in this file's address (?material=search.<hash>.min.js), which does the rest. */
"use strict";

var SETUP = 0;  // Material's SearchMessageType
var QUERY = 2;
var separator = /[\s\-]+/;  // replaced by the site's own separator when the index arrives

function wholeLetters(query) {
  if (/["+^~*:]/.test(query)) return query;
  return query.split(/\s+/).map(function (part) {
    if (part.charAt(0) === "-") return part;  // lunr's "must not contain"
    return part.split(separator).filter(Boolean).map(function (word) {
      return /^[\p{L}\p{N}]$/u.test(word) ? word + "^1" : word;  // a boost ends Material's wildcard
    }).join(" ");
  }).join(" ");
}

// Registered before Material's worker is loaded, so it sees each message first.
self.addEventListener("message", function (event) {
  var message = event.data;
  if (message.type === SETUP) separator = new RegExp(message.data.config.separator);
  if (message.type === QUERY && typeof message.data === "string") {
    message.data = wholeLetters(message.data);
  }
});

var material = new URL(self.location.href).searchParams.get("material") || "";
if (!/^search\.[0-9a-f]+\.min\.js$/.test(material)) {
  throw new Error("search-worker.js: ?material= must name Material's search worker, not " +
                  JSON.stringify(material));
}
importScripts(material);
