package capfile

import "io"

// NewWriter writes a capture to out, as NewReader reads one from an
// io.Reader: name is used in error messages and, where opts leave them to
// be picked, to choose the format and compression (pcapng when the name
// says nothing). opts.InPlace does not apply. Close finishes the stream —
// buffered packets, the compressor's trailer — but does not close out, and
// Abort only stops writing: what reached out stays there.
func NewWriter(out io.Writer, name string, opts WriterOptions) (*Writer, error) {
	format, comp := pickFormat(name, opts)
	w := &Writer{name: name, opts: opts, format: format, out: out}
	if err := w.wrapCompression(comp); err != nil {
		return nil, w.wrap(err)
	}
	if err := w.startPcapng(); err != nil {
		return nil, err
	}
	return w, nil
}
