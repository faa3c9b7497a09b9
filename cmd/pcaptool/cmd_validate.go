package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pcaptool/pcaptool/internal/parallel"
	"github.com/pcaptool/pcaptool/validate"
)

func init() { rootCmd.AddCommand(newValidateCmd()) }

func newValidateCmd() *cobra.Command {
	var (
		asJSON      bool
		format      string
		strict      bool
		maxFindings int
		jobs        int
	)
	cmd := &cobra.Command{
		Use:   "validate [--format text|json|github] [--strict] FILE...",
		Short: "Check the structure of capture files (for CI pipelines)",
		Long: `Check the structure of pcap and pcapng files: magic, file header, block and
record lengths, trailing lengths, options well formed and padded, section
lengths, interface ids, captured length against snap length and original
length, truncated last record, garbage after the end. A damaged pcapng block
is stepped over by its length, or by scanning for the next plausible block, so
one run reports every problem it can reach.

--strict also checks that timestamps never go back, that link types are
known, that no packet repeats one of the previous 8, and that block types are
known.

Each finding has a severity (error: readers lose data there; warning: readable
but unusual), a byte offset, the block or record index and packet index, and a
message. Output formats: text (one line per finding), json (one object per
file, see validate.Report), github (workflow annotations:
"::error file=F,line=1,title=offset N::message").

Exit code: 0 when every file is clean, 1 when there are findings (warnings
included), 2 when a file cannot be opened or read, or on bad usage.`,
		Example: `  pcaptool validate capture.pcapng
  pcaptool validate --strict --format github captures/*.pcap`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if asJSON {
				if cmd.Flags().Changed("format") && format != "json" {
					return withExitCode(exitFailure, fmt.Errorf("--json conflicts with --format %s", format))
				}
				format = "json"
			}
			switch format {
			case "text", "json", "github":
			default:
				return withExitCode(exitFailure, fmt.Errorf("--format %q: want text, json or github", format))
			}
			if jobs < 1 {
				return withExitCode(exitFailure, fmt.Errorf("-j %d: want at least 1", jobs))
			}
			return runValidate(os.Stdout, args, format, jobs, validate.Options{Strict: strict, MaxFindings: maxFindings, MaxBlockSize: maxPacketSize})
		},
	}
	f := cmd.Flags()
	f.BoolVar(&asJSON, "json", false, "same as --format json")
	f.StringVar(&format, "format", "text", "output format: text, json or github")
	f.BoolVar(&strict, "strict", false, "also check time order, link types, duplicate packets and block types")
	f.IntVarP(&jobs, "jobs", "j", runtime.NumCPU(), "check up to `N` files at once (output stays in argument order)")
	f.IntVar(&maxFindings, "max-findings", 1000, "list at most this many findings per file (all are counted)")
	cmd.RegisterFlagCompletionFunc("format", fixedCompletions("text", "json", "github"))
	return cmd
}

func runValidate(w io.Writer, names []string, format string, jobs int, opts validate.Options) error {
	findings, failed := false, false
	enc := json.NewEncoder(w)
	type result struct {
		rep *validate.Report
		err error
	}
	err := parallel.Ordered(len(names), jobs, func(i int) result {
		rep, err := validate.File(names[i], opts)
		return result{rep, err}
	}, func(i int, r result) error {
		name, rep := names[i], r.rep
		if r.err != nil {
			failed = true
			fmt.Fprintln(os.Stderr, "pcaptool:", r.err)
			if rep == nil {
				return nil
			}
		}
		if !rep.Clean() {
			findings = true
		}
		switch format {
		case "json":
			if err := enc.Encode(rep); err != nil {
				return withExitCode(exitFailure, err)
			}
		case "github":
			for _, f := range rep.Findings {
				fmt.Fprintf(w, "::%s file=%s,line=1,title=%s::%s\n", f.Severity, githubProperty(name),
					githubProperty(fmt.Sprintf("offset %d", f.Offset)), githubMessage(strings.TrimPrefix(f.String(), f.Severity.String()+": ")))
			}
			if rep.FindingsOmitted > 0 {
				fmt.Fprintf(w, "::warning file=%s,line=1::%d more findings not listed\n", githubProperty(name), rep.FindingsOmitted)
			}
		default:
			for _, f := range rep.Findings {
				fmt.Fprintf(w, "%s: %s\n", name, f)
			}
			if rep.FindingsOmitted > 0 {
				fmt.Fprintf(w, "%s: %d more findings not listed\n", name, rep.FindingsOmitted)
			}
			verdict := "ok"
			if !rep.Clean() {
				verdict = fmt.Sprintf("%d errors, %d warnings", rep.Errors, rep.Warnings)
			}
			fmt.Fprintf(w, "%s: %s, %d blocks, %d packets: %s\n", name, rep.Format, rep.Blocks, rep.Packets, verdict)
		}
		return nil
	})
	if err != nil {
		return err
	}
	switch {
	case failed:
		return withExitCode(exitFailure, nil)
	case findings:
		return withExitCode(exitFindings, nil)
	}
	return nil
}

// githubMessage escapes a workflow command's message.
func githubMessage(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// githubProperty escapes a workflow command's property value.
func githubProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
