package capfile

import (
	"errors"
	"fmt"
	"io"

	"github.com/pcaptool/pcaptool/pcapng"
)

// ErrNotPcapngInput reports CopyBlocks on an input that is not pcapng.
var ErrNotPcapngInput = errors.New("capfile: block copy needs a pcapng input")

// CopyBlocks copies the remaining blocks of the pcapng file r reads to w,
// a Writer made by CreateRaw, unchanged: name resolution, statistics,
// decryption secrets, custom and unknown blocks too, so that nothing the
// packet model does not carry is lost (pcapng to pcapng conversion). It
// returns how many blocks it copied; errors name the file at fault. The
// caller still closes w. Packet bytes go to w without being copied when r
// reads ahead (see Writer.Borrow).
func CopyBlocks(w *Writer, r *Reader) (int, error) {
	br := r.Pcapng()
	if br == nil {
		return 0, fmt.Errorf("%s: %w", r.Name(), ErrNotPcapngInput)
	}
	if !w.raw {
		return 0, fmt.Errorf("%s: capfile: CopyBlocks needs a Writer made by CreateRaw", w.name)
	}
	// Straight into the file's buffer: packet bytes then go out from r's
	// read-ahead ring without a copy (see Borrow), and nothing is buffered
	// twice.
	w.Borrow(r)
	bw := pcapng.NewWriter(w.out)
	blocks := br.Blocks()
	n := 0
	for {
		b, err := blocks.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return n, fmt.Errorf("%s: %w", r.Name(), err)
		}
		if err := bw.WriteBlock(b); err != nil {
			return n, w.wrap(err)
		}
		n++
	}
	return n, w.wrap(bw.Flush())
}
