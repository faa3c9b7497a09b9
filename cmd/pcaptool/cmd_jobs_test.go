package main

import (
	"testing"

	"github.com/pcaptool/pcaptool/internal/testenv"
)

// TestManyFilesJobs checks that info and validate print the same thing,
// in argument order, with one job and with several, over a corpus sample
// that has damaged files among clean ones (a missing file too).
func TestManyFilesJobs(t *testing.T) {
	files := testenv.CorpusFiles(t, "tcpdump")
	var sample []string
	for i := 0; i < len(files) && len(sample) < 40; i += 7 {
		sample = append(sample, files[i])
	}
	sample = append(sample, "does-not-exist.pcap")
	for _, cmd := range [][]string{{"info"}, {"info", "--json"}, {"validate"}, {"validate", "--format", "json"}} {
		one := runTool(t, nil, append(append(cmd, "-j", "1"), sample...)...)
		many := runTool(t, nil, append(append(cmd, "-j", "4"), sample...)...)
		if one.stdout != many.stdout || one.stderr != many.stderr || one.code != many.code {
			t.Errorf("%v: -j 4 differs from -j 1 (exit %d vs %d)", cmd, many.code, one.code)
		}
		if one.code == 0 {
			t.Errorf("%v: exit 0 with a missing file", cmd)
		}
	}
}
