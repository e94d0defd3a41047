package cmdutil

// DefaultURL is where `authctl emulator` listens and the spec's default.
const DefaultURL = "http://localhost:9999"
