// Command readcopy is the "read + one copy" floor of bench/run.sh: it
// reads its input files in 1 MiB blocks and copies every byte once into
// a second buffer, as a tool that parses in place and copies each packet
// once into its output buffer must at least do. The copy goes nowhere.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	buf := make([]byte, 1<<20)
	out := make([]byte, 1<<20)
	var sum byte
	for _, name := range os.Args[1:] {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, "readcopy:", err)
			os.Exit(1)
		}
		for {
			n, err := f.Read(buf)
			copy(out, buf[:n])
			if n > 0 {
				sum ^= out[n-1]
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				fmt.Fprintln(os.Stderr, "readcopy:", err)
				os.Exit(1)
			}
		}
		f.Close()
	}
	if os.Getenv("READCOPY_SUM") != "" { // keeps the copy observable to the compiler
		fmt.Fprintln(os.Stderr, sum)
	}
}
