package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/spf13/cobra"

	"github.com/pcaptool/pcaptool/outfile"
)

// Hidden --cpuprofile and --memprofile flags profile any command as it runs
// on real files, which a go test benchmark cannot do (bench/README.md):
//
//	pcaptool --cpuprofile cpu.prof convert big.pcapng big.pcap
//	go tool pprof -top pcaptool cpu.prof
//
// The profiles are written when the command ends, even when it fails; an
// interrupted command (SIGINT) writes none.
func init() {
	var cpuFile, memFile string
	pf := rootCmd.PersistentFlags()
	pf.StringVar(&cpuFile, "cpuprofile", "", "write a CPU profile to `FILE`")
	pf.StringVar(&memFile, "memprofile", "", "write an allocation profile to `FILE` when the command ends")
	pf.MarkHidden("cpuprofile")
	pf.MarkHidden("memprofile")

	var cpuOut *outfile.File
	cobra.OnInitialize(func() {
		if cpuFile == "" || cpuOut != nil {
			return
		}
		f, err := outfile.Create(cpuFile, outfile.Options{Group: &outputs})
		if err != nil {
			fmt.Fprintln(os.Stderr, "pcaptool: --cpuprofile:", err)
			return
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "pcaptool: --cpuprofile:", err)
			f.Abort()
			return
		}
		cpuOut = f
	})
	cobra.OnFinalize(func() {
		if cpuOut != nil {
			pprof.StopCPUProfile()
			if err := cpuOut.Close(); err != nil {
				fmt.Fprintln(os.Stderr, "pcaptool: --cpuprofile:", err)
			}
			cpuOut = nil
		}
		if memFile != "" {
			if err := writeAllocProfile(memFile); err != nil {
				fmt.Fprintln(os.Stderr, "pcaptool: --memprofile:", err)
			}
		}
	})
}

func writeAllocProfile(name string) error {
	f, err := outfile.Create(name, outfile.Options{Group: &outputs})
	if err != nil {
		return err
	}
	runtime.GC() // up-to-date statistics
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Abort()
		return err
	}
	return f.Close()
}
