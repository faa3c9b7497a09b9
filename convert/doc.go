// Package convert defines pcaptool's format-neutral packet stream and the
// transforms that editcap, mergecap and reordercap perform on it.
//
// A [Reader] yields packets one at a time; the [Packet] it returns, and the
// slices inside it, stay valid only until the next call, so a pipeline moves
// packets without copying them. Transforms wrap a Reader and are Readers
// themselves; a [Writer] consumes the result. [Copy] drives a pipeline and
// tells the writer about interfaces as they appear.
//
// The package knows nothing about bytes on disk: the pcap and pcapng packages
// read and write files, and package capfile adapts them to these interfaces.
package convert
