// Package bulk imports and exports users in bulk: readers for JSON Lines,
// CSV and Firebase Auth exports that validate every row and name its line,
// the Firebase scrypt hash format, a concurrent importer that retries
// overloaded answers and can be interrupted and rerun without duplicating
// anyone, a report of failed rows, and a streaming exporter.
//
// Memory stays flat whatever the number of users: readers hand rows to a
// callback one at a time, validation finds rows repeating an id, email or
// phone by sorting those through a temporary file (internal/extsort) rather
// than keeping them, the importer holds at most its workers' rows, and
// the exporter writes each page of the listing before fetching the next.
package bulk
