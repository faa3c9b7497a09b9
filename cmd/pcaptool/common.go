package main

import (
	"fmt"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/outfile"
	"github.com/pcaptool/pcaptool/pkt"
)

// outputs holds every output file not yet committed, for the signal
// handler to discard.
var outputs outfile.Group

// interrupting is set once the signal handler has begun discarding the
// output and is about to exit with exitInterrupted.
var interrupting atomic.Bool

// signalsSelf marks a command that handles SIGINT/SIGTERM itself (capture
// must flush and close its file); others get the default handler below.
const signalsSelf = "signals"

func init() {
	rootCmd.PersistentPreRun = func(cmd *cobra.Command, args []string) {
		if cmd.Annotations[signalsSelf] == "self" {
			return
		}
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
		go func() {
			sig := <-ch
			// Closing the output makes the command fail with a write
			// error; run must then wait for this exit, not report that.
			interrupting.Store(true)
			// Tools never leave half-written output behind.
			outputs.AbortAll()
			fmt.Fprintf(os.Stderr, "pcaptool: %v: stopped, no output written\n", sig)
			os.Exit(exitInterrupted)
		}()
	}
}

// outputFlags are the flags every command that writes a capture shares.
type outputFlags struct {
	format      string
	resolution  string
	compression string
}

func (o *outputFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVarP(&o.format, "format", "F", "", "output format: pcap or pcapng (default: from the output name, else pcapng)")
	f.StringVar(&o.resolution, "ts", "", "timestamp resolution of the output: nsec or usec (default: as the input)")
	f.StringVar(&o.compression, "compress", "", "output compression: none, gzip, zstd, lz4 (default: from the output name)")
	cmd.RegisterFlagCompletionFunc("format", fixedCompletions("pcap", "pcapng"))
	cmd.RegisterFlagCompletionFunc("ts", fixedCompletions("nsec", "usec"))
	cmd.RegisterFlagCompletionFunc("compress", fixedCompletions("none", "gzip", "zstd", "lz4"))
}

func fixedCompletions(values ...string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return values, cobra.ShellCompDirectiveNoFileComp
	}
}

// parseResolution turns --ts text into a resolution; "" gives 0 (keep).
func parseResolution(s string) (pkt.Resolution, error) {
	switch s {
	case "":
		return 0, nil
	case "nsec", "ns", "nano", "nanosecond", "nanoseconds":
		return pkt.Nanosecond, nil
	case "usec", "us", "micro", "microsecond", "microseconds":
		return pkt.Microsecond, nil
	}
	return 0, fmt.Errorf("--ts %q: want nsec or usec", s)
}

// writerOptions resolves the flags into capfile options.
func (o *outputFlags) writerOptions() (capfile.WriterOptions, error) {
	var opts capfile.WriterOptions
	var err error
	if opts.Format, err = capfile.ParseFormat(o.format); err != nil {
		return opts, withExitCode(exitFailure, err)
	}
	if opts.Compression, err = capfile.ParseCompression(o.compression); err != nil {
		return opts, withExitCode(exitFailure, err)
	}
	if opts.Resolution, err = parseResolution(o.resolution); err != nil {
		return opts, withExitCode(exitFailure, err)
	}
	opts.Section.UserAppl = "pcaptool"
	opts.Group = &outputs
	return opts, nil
}

// create opens the output named name with the flags' options.
func (o *outputFlags) create(name string) (*capfile.Writer, error) {
	opts, err := o.writerOptions()
	if err != nil {
		return nil, err
	}
	return capfile.Create(name, opts)
}

// openInputs opens every named capture, closing those already opened when
// one fails.
func openInputs(names []string) ([]*capfile.Reader, error) {
	var rs []*capfile.Reader
	for _, n := range names {
		r, err := openCapture(n)
		if err != nil {
			closeInputs(rs)
			return nil, err
		}
		rs = append(rs, r)
	}
	return rs, nil
}

func closeInputs(rs []*capfile.Reader) {
	for _, r := range rs {
		r.Close()
	}
}

// byteSource is an input whose progress can be shown: its stored size (-1
// when unknown) and how many of its bytes have been read so far, which must
// be safe to call from another goroutine. capfile.Reader is one.
type byteSource interface {
	Size() int64
	BytesRead() int64
}

// countedFile is a byteSource for work that reports the bytes it has read
// through an atomic counter (inspect.Options.Progress).
type countedFile struct {
	size int64
	read atomic.Int64
}

func newCountedFile(name string) *countedFile {
	c := &countedFile{size: -1}
	if name != "-" {
		if st, err := os.Stat(name); err == nil && st.Mode().IsRegular() {
			c.size = st.Size()
		}
	}
	return c
}

func (c *countedFile) Size() int64      { return c.size }
func (c *countedFile) BytesRead() int64 { return c.read.Load() }

// progress shows a progress bar on stderr, by bytes read from the inputs,
// when stderr is a terminal and the job lasts longer than a second. It is
// silent when stderr is piped, in CI, or when quiet is set. Call the
// returned function when the job is done.
func progress[S byteSource](quiet bool, what string, inputs ...S) (done func()) {
	if quiet || !term.IsTerminal(int(os.Stderr.Fd())) || os.Getenv("CI") == "true" {
		return func() {}
	}
	var total int64
	for _, r := range inputs {
		if r.Size() < 0 {
			total = -1
			break
		}
		total += r.Size()
	}
	stop := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		select {
		case <-stop:
			return
		case <-time.After(time.Second):
		}
		bar := progressbar.NewOptions64(total,
			progressbar.OptionSetWriter(os.Stderr),
			progressbar.OptionSetDescription(what),
			progressbar.OptionShowBytes(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSetWidth(30),
		)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			var n int64
			for _, r := range inputs {
				n += r.BytesRead()
			}
			bar.Set64(n)
			select {
			case <-stop:
				bar.Finish()
				return
			case <-tick.C:
			}
		}
	}()
	return func() {
		close(stop)
		<-finished
	}
}
