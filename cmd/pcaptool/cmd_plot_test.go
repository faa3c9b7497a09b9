//go:build !noplot

package main

import (
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestPlotCommand(t *testing.T) {
	name := synthPcap(t, 2000)
	dir := t.TempDir()
	if res := runTool(t, nil, "plot", "io", name, "-o", filepath.Join(dir, "x.jpg")); res.code != exitFailure {
		t.Errorf("plot to .jpg: exit %d", res.code)
	}
	for _, args := range [][]string{
		{"io", name, "-o", filepath.Join(dir, "io.png"), "--width", "640", "--height", "320"},
		{"io", name, "--filter", "tcp", "--bits", "--log", "-o", filepath.Join(dir, "io.svg")},
		{"conv", "tcp", name, "-o", filepath.Join(dir, "conv.png"), "--width", "640", "--height", "320", "--dark"},
		{"endpoints", name, "-o", filepath.Join(dir, "ep.png"), "--width", "640", "--height", "320"},
		{"sizes", name, "-o", filepath.Join(dir, "sizes.png"), "--width", "640", "--height", "320"},
	} {
		mustRun(t, append([]string{"plot"}, args...)...)
		out := args[slices.Index(args, "-o")+1]
		f, err := os.Open(out)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(out, ".png") {
			cfg, err := png.DecodeConfig(f)
			if err != nil || cfg.Width != 640 || cfg.Height != 320 {
				t.Errorf("%s: %v %dx%d", out, err, cfg.Width, cfg.Height)
			}
		}
		f.Close()
	}
}
