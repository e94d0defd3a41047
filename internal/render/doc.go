// Package render turns command results into what a person or a script reads:
// JSON documents and JSON Lines (optionally filtered in-process by a --jq
// expression), aligned tables, colours, relative times, terminal QR codes and
// a progress line for bulk jobs.
//
// The package is deliberately inert at start-up: no terminal queries, no
// environment reads and no heavy initialisation happen at init time. Whether
// output is a terminal, whether colour is wanted and how wide the screen is
// are decided by the caller (internal/iostreams) and passed in.
package render
