//go:build !linux

package outfile

import "os"

type vectorScratch struct{}

// writeVectors writes the pieces of v one by one.
func (*vectorScratch) writeVectors(f *os.File, v [][]byte) (int64, error) { return writeEach(f, v) }
