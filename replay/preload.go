package replay

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/pkt"
)

// DefaultPreloadLimit is the largest file pcaptool replay preloads by
// itself for a timed replay.
const DefaultPreloadLimit = 64 << 20

// Preload reads the capture file name (as stored: compressed files stay
// compressed in memory) into memory once and returns an Opener that reads
// every pass from there, as tcpreplay's --preload-pcap does: no read
// system call and no page fault of a fresh buffer while the clock runs.
// Files larger than limit bytes fail with an error naming the limit; opts
// are those of capfile.NewReader.
func Preload(name string, limit int64, opts capfile.ReaderOptions) (Opener, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() > limit {
		return nil, fmt.Errorf("%s: %d bytes is more than the %d that may be preloaded", name, st.Size(), limit)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: more than the %d bytes that may be preloaded", name, limit)
	}
	return func() (pkt.Reader, error) {
		return capfile.NewReader(bytes.NewReader(data), name, opts)
	}, nil
}
