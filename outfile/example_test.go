package outfile_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/pcaptool/pcaptool/outfile"
)

// Write a report so that a reader of the destination sees either the old
// file or the whole new one, never a part.
func Example() {
	dir, _ := os.MkdirTemp("", "outfile-example")
	defer os.RemoveAll(dir)
	name := filepath.Join(dir, "report.txt")
	os.WriteFile(name, []byte("old report\n"), 0o600)

	f, err := outfile.Create(name, outfile.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Abort() // discards the output unless Close ran first
	fmt.Fprintln(f, "new report")
	before, _ := os.ReadFile(name)
	if err := f.Close(); err != nil {
		fmt.Println(err)
		return
	}
	after, _ := os.ReadFile(name)
	st, _ := os.Stat(name)
	fmt.Printf("before Close: %safter Close: %smode kept: %v\n", before, after, st.Mode().Perm())
	// Output:
	// before Close: old report
	// after Close: new report
	// mode kept: -rw-------
}
