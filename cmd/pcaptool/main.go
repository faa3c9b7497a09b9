// Command pcaptool converts, merges, slices, filters, validates and captures
// packet-capture files (pcap and pcapng). See README.md for every command.
//
// Exit codes: 0 success; 1 the command ran and reports findings (validate)
// or matched nothing where that is an answer; 2 failure: bad usage,
// unreadable input, I/O errors; 130 interrupted before finishing.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	_ "github.com/pcaptool/pcaptool/internal/startup" // first: see its package comment
)

// Exit codes, documented in the package comment and the README.
const (
	exitOK          = 0
	exitFindings    = 1
	exitFailure     = 2
	exitInterrupted = 130
)

// exitError carries an exit code through cobra's error return.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// withExitCode makes err end the program with code.
func withExitCode(code int, err error) error { return &exitError{code: code, err: err} }

var rootCmd = &cobra.Command{
	Use:   "pcaptool",
	Short: "Convert, merge, slice, filter, validate and capture pcap and pcapng files",
	Long: `pcaptool is a single static binary for packet-capture files and live capture.

Every file argument may be "-" for standard input or output. Compressed input
(gzip, zstd, lz4) is detected by content; compressed output is chosen by the
file extension (.gz, .zst, .lz4) or --compress.`,
	SilenceUsage:  true,
	SilenceErrors: true,
}

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	rootCmd.SetArgs(args)
	err := rootCmd.Execute()
	if interrupting.Load() {
		select {} // the signal handler exits with exitInterrupted
	}
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(os.Stderr, "pcaptool:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(os.Stderr, "pcaptool:", err)
	return exitFailure
}
