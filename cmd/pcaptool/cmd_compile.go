package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pcaptool/pcaptool/filter"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

func init() {
	var lt string
	var snaplen uint32
	var dump int
	var noResolve bool
	cmd := &cobra.Command{
		Use:   "compile [-y LINKTYPE] [-s SNAPLEN] [-d|-dd|-ddd] EXPR...",
		Short: "Compile a pcap-filter expression to classic BPF and print it like tcpdump -d",
		Long: `compile prints the optimized classic BPF program for a pcap-filter expression
(see pcap-filter(7)), exactly as tcpdump -d, -dd or -ddd prints one. The
arguments are joined with spaces, as tcpdump does.

-y takes every link-type name libpcap takes (and numbers); the program is
compiled as for reading a capture file. Host names are resolved from
/etc/hosts and DNS, "ether host NAME" from /etc/ethers, unless -n is given.`,
		Args: cobra.MinimumNArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			t, err := linktype.Parse(lt)
			if err != nil {
				return withExitCode(exitFailure, err)
			}
			expr := strings.Join(args, " ")
			prog, err := filter.CompileOptions(expr, t, filter.Options{SnapLen: snaplen, NoResolve: noResolve})
			if err != nil {
				var se *filter.SyntaxError
				if ok := asSyntaxError(err, &se); ok {
					return withExitCode(exitFailure, fmt.Errorf("%w\n%s", err, se.Caret()))
				}
				return withExitCode(exitFailure, err)
			}
			style := filter.DumpText
			switch {
			case dump >= 3:
				style = filter.DumpDecim
			case dump == 2:
				style = filter.DumpC
			}
			s, err := filter.Dump(prog, style)
			if err != nil {
				return withExitCode(exitFailure, err)
			}
			_, err = fmt.Fprint(cmd.OutOrStdout(), s)
			return err
		},
	}
	f := cmd.Flags()
	f.StringVarP(&lt, "linktype", "y", "EN10MB", "link type to compile for (name or number)")
	f.Uint32VarP(&snaplen, "snaplen", "s", pkt.DefaultSnapLen, "value the program returns for matching packets")
	f.CountVarP(&dump, "dump", "d", "-d prints mnemonics (default), -dd a C array, -ddd decimal numbers, as tcpdump")
	f.BoolVarP(&noResolve, "no-resolve", "n", false, "do not resolve names (hosts, /etc/ethers, /etc/networks; a name is an error), for reproducible programs")
	rootCmd.AddCommand(cmd)
}
