// Package soaktest holds the whole-program tests of custreg: the soak test
// (mixed concurrent traffic for a bounded time against the real binary,
// one SQLite node or two nodes sharing one PostgreSQL database) and the
// crash test (kill -9 during a stream of writes, restart, check that every
// acknowledged write survived). Both build cmd/custreg, start it as a
// child process on port 0 and speak to it only through its JSON API, then
// recount every kept figure from the records. See docs/architecture.md,
// "Soak and crash tests", for how to run them longer.
//
// The package has no code of its own; everything is in its tests.
package soaktest
