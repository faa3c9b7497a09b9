package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pcaptool/pcaptool/live"
)

// interfaceJSON is one interface in `interfaces --json` output.
type interfaceJSON struct {
	Number       int      `json:"number"`
	Name         string   `json:"name"`
	Description  string   `json:"description,omitempty"`
	Index        int      `json:"index"`
	Flags        []string `json:"flags"`
	MTU          int      `json:"mtu,omitempty"`
	HardwareAddr string   `json:"hardware_addr,omitempty"`
	Addresses    []string `json:"addresses"`
	HardwareType uint16   `json:"hardware_type"`
	LinkType     uint16   `json:"link_type"`
	LinkTypeName string   `json:"link_type_name"`
}

func init() {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "interfaces",
		Short: "List the interfaces capture can use, like tcpdump -D",
		Long: `interfaces prints the interfaces a capture can be opened on, numbered, with
their flags, in tcpdump -D's format and order. --json adds the index, MTU,
addresses and the link-layer header type a capture on each one records.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ifs, err := live.Interfaces()
			if err != nil {
				return withExitCode(exitFailure, err)
			}
			out := cmd.OutOrStdout()
			if asJSON {
				list := make([]interfaceJSON, 0, len(ifs))
				for n, i := range ifs {
					j := interfaceJSON{
						Number: n + 1, Name: i.Name, Description: i.Description, Index: i.Index,
						Flags: i.FlagWords(), MTU: i.MTU, Addresses: []string{},
						HardwareType: i.HardwareType, LinkType: uint16(i.LinkType), LinkTypeName: i.LinkType.Name(),
					}
					if j.Flags == nil {
						j.Flags = []string{}
					}
					if len(i.HardwareAddr) > 0 {
						j.HardwareAddr = i.HardwareAddr.String()
					}
					for _, a := range i.Addresses {
						j.Addresses = append(j.Addresses, a.String())
					}
					list = append(list, j)
				}
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(list)
			}
			for n, i := range ifs {
				desc := ""
				if i.Description != "" {
					desc = " (" + i.Description + ")"
				}
				words := "none"
				if w := i.FlagWords(); len(w) > 0 {
					words = strings.Join(w, ", ")
				}
				fmt.Fprintf(out, "%d.%s%s [%s]\n", n+1, i.Name, desc, words)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON with addresses, MTU and link types")
	rootCmd.AddCommand(cmd)
}
