package outfile

import "os"

// WriteVectors writes the pieces of v one after the other, as one Write of
// their concatenation would, but without joining them first: on Linux a
// writev system call takes up to 1024 pieces at a time.
func (f *File) WriteVectors(v [][]byte) (int64, error) {
	if f.file == nil {
		if err := f.reopen(); err != nil {
			return 0, err
		}
	}
	n, err := f.vectors.writeVectors(f.file, v)
	return n, f.pathError("write", err)
}

// writeEach writes the pieces of v with one Write each.
func writeEach(f *os.File, v [][]byte) (int64, error) {
	var total int64
	for _, b := range v {
		n, err := f.Write(b)
		total += int64(n)
		if err != nil {
			return total, err
		}
	}
	return total, nil
}
