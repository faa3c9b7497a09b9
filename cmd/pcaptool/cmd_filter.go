package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/filter"
	"github.com/pcaptool/pcaptool/pkt"
)

func asSyntaxError(err error, se **filter.SyntaxError) bool { return errors.As(err, se) }

func init() {
	var out outputFlags
	var jsonStats, quiet, noResolve bool
	cmd := &cobra.Command{
		Use:   "filter [--json-stats] [-n] EXPR IN OUT",
		Short: "Keep the packets that match a pcap-filter expression",
		Long: `filter copies the packets of IN that match EXPR (pcap-filter(7), as tcpdump
takes it) to OUT, in the input's format unless -F says otherwise. The
expression is compiled for each interface's link type. Exit status 1 when no
packet matched.`,
		Args: cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			expr, in, outName := args[0], args[1], args[2]
			r, err := openCapture(in)
			if err != nil {
				return withExitCode(exitFailure, err)
			}
			defer r.Close()
			opts := filter.Options{NoResolve: noResolve}
			if p := r.Pcap(); p != nil {
				opts.NullByteOrder = p.Header().ByteOrder
			}
			sf, err := filter.NewStreamFilterOptions(r, expr, opts)
			if err != nil {
				var se *filter.SyntaxError
				if errors.As(err, &se) {
					err = fmt.Errorf("%w\n%s", err, se.Caret())
				}
				return withExitCode(exitFailure, err)
			}
			wopts, err := out.writerOptions()
			if err != nil {
				return err
			}
			if out.format == "" {
				if f, _ := capfile.FromName(outName); f == 0 {
					wopts.Format = r.Format()
				}
			}
			w, err := capfile.Create(outName, wopts)
			if err != nil {
				return withExitCode(exitFailure, err)
			}
			w.Borrow(r)
			done := progress(quiet, "filtering", r)
			_, err = pkt.Copy(w, sf)
			done()
			if err != nil {
				w.Abort()
				return withExitCode(exitFailure, err)
			}
			if err := w.Close(); err != nil {
				return withExitCode(exitFailure, err)
			}
			if jsonStats {
				enc := json.NewEncoder(os.Stderr)
				if err := enc.Encode(map[string]int64{"read": sf.Read(), "kept": sf.Kept()}); err != nil {
					return err
				}
			}
			if sf.Kept() == 0 {
				return withExitCode(exitFindings, nil)
			}
			return nil
		},
	}
	out.register(cmd)
	cmd.Flags().BoolVar(&jsonStats, "json-stats", false, `print {"read":N,"kept":M} on standard error`)
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "no progress bar")
	cmd.Flags().BoolVarP(&noResolve, "no-resolve", "n", false, "do not resolve names in EXPR (hosts, /etc/ethers, /etc/networks; a name is an error), for reproducible runs")
	rootCmd.AddCommand(cmd)
}
