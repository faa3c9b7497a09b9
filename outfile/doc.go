// Package outfile opens output files the way a careful command-line tool
// writes them, so that a failed or interrupted job never destroys or
// half-writes what a user had.
//
// What Create does depends on what the destination is:
//
//   - "-" is standard output, written as it comes.
//   - A new file, or an existing regular file, is written to a temporary
//     file beside it and renamed onto it by Close; Abort (or a failed
//     Close) removes the temporary file and leaves the destination as it
//     was. A new file gets mode 0666 less the umask, as tcpdump -w and
//     editcap create theirs; a rewritten file keeps its mode, and its owner
//     and group where the process may set them.
//   - A symbolic link is followed: the temporary file goes beside the file
//     it points to (a dangling link creates its target), and the link stays.
//   - Anything else that exists — a character or block device, a FIFO, a
//     socket, /dev/stdout, /dev/fd/N, /proc/self/fd/N — is opened and written
//     directly, streaming; it is never truncated, replaced or removed.
//
// With Options.InPlace, a regular destination is truncated and written
// directly instead (a live capture that must be readable while it grows).
//
// The package keeps no process-wide state. A program that must discard
// unfinished outputs from a signal handler collects them in a Group.
package outfile
