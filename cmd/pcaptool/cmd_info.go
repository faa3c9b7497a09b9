package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/pcaptool/pcaptool/inspect"
	"github.com/pcaptool/pcaptool/internal/parallel"
)

func init() { rootCmd.AddCommand(newInfoCmd()) }

func newInfoCmd() *cobra.Command {
	var (
		asJSON bool
		quiet  bool
		hashes []string
		jobs   int
	)
	cmd := &cobra.Command{
		Use:   "info [--json] [--hash sha256|sha1|md5 ...] FILE...",
		Short: "Summarise capture files as capinfos does",
		Long: `Summarise capture files: format, encapsulations, timestamp precision, packet
and byte counts, duration, first and last packet time, rates, snap length,
interfaces with their options, section options, comments, statistics, name
resolution and decryption secrets counts, time order, compression and
optionally hashes. The numbers agree with capinfos -M.

--json writes one JSON object per file (one per line); the schema is the
inspect.Summary type (fields in snake_case). The exit code is 2 when a file
cannot be opened or read to its end (the summary of what was read is still
printed), else 0.`,
		Example: `  pcaptool info capture.pcapng
  pcaptool info --json --hash sha256 *.pcap | jq .packets`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, h := range hashes {
				switch h {
				case "sha256", "sha1", "md5":
				default:
					return withExitCode(exitFailure, fmt.Errorf("--hash %q: want sha256, sha1 or md5", h))
				}
			}
			return runInfo(args, asJSON, quiet, hashes, jobs)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "write one JSON object per file")
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "no progress bar")
	cmd.Flags().IntVarP(&jobs, "jobs", "j", runtime.NumCPU(), "read up to `N` files at once (output stays in argument order)")
	cmd.Flags().StringSliceVar(&hashes, "hash", nil, "also compute these digests of each file: sha256, sha1, md5 (repeatable)")
	cmd.RegisterFlagCompletionFunc("hash", fixedCompletions(inspect.HashAlgorithms...))
	return cmd
}

func runInfo(names []string, asJSON, quiet bool, hashes []string, jobs int) error {
	limits, err := readerOptions()
	if err != nil {
		return err
	}
	if jobs < 1 {
		return withExitCode(exitFailure, fmt.Errorf("-j %d: want at least 1", jobs))
	}
	// One progress bar makes sense for one file at a time only.
	quiet = quiet || (jobs > 1 && len(names) > 1)
	type result struct {
		s   *inspect.Summary
		err error
	}
	failed := 0
	enc := json.NewEncoder(os.Stdout)
	err = parallel.Ordered(len(names), jobs, func(i int) result {
		name := names[i]
		counted := newCountedFile(name)
		done := progress(quiet, "reading "+filepath.Base(name), counted)
		s, err := inspect.Summarize(name, inspect.Options{Hashes: hashes, MaxPacketSize: limits.MaxPacketSize, Progress: &counted.read})
		done()
		return result{s, err}
	}, func(i int, r result) error {
		if r.err != nil {
			failed++
			fmt.Fprintln(os.Stderr, "pcaptool:", r.err)
			if r.s == nil {
				return nil
			}
		}
		if asJSON {
			if err := enc.Encode(r.s); err != nil {
				return withExitCode(exitFailure, err)
			}
			return nil
		}
		if i > 0 {
			fmt.Println()
		}
		if err := r.s.WriteText(os.Stdout); err != nil {
			return withExitCode(exitFailure, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if failed > 0 {
		return withExitCode(exitFailure, nil)
	}
	return nil
}
