// Package text owns the first layer of reading an offer: bytes to text
// (Decode: UTF-8, UTF-16, Windows-1252), HTML to text without the site
// around the offer, with its title, og:site_name and schema.org
// JobPosting (ReadHTML, HTMLToText), the
// normal form every later layer relies on (Normalize), the accent fold
// (Fold), the tokens the date grammar and the deadline rules read
// (Tokenize), and the French and English function words counted as the
// tokens are read, which tell the text's language (FunctionWords).
//
// It knows no date, no deadline and no field of an offer: the word tables
// here are only those the text's shape needs (the date words Normalize
// splits from a number glued to them) and the function words.
package text
