package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

func TestStatsCommand(t *testing.T) {
	name := synthPcap(t, 300)
	res := mustRun(t, "stats", name)
	if !strings.Contains(res.stdout, "Protocol Hierarchy Statistics") || !strings.Contains(res.stdout, "eth                                      frames:300 ") {
		t.Errorf("stats output:\n%s", res.stdout)
	}
	js := mustRun(t, "stats", "--json", name)
	var v struct {
		Frames    uint64 `json:"frames"`
		Protocols []struct {
			Name   string `json:"name"`
			Frames uint64 `json:"frames"`
		} `json:"protocols"`
	}
	if err := json.Unmarshal([]byte(js.stdout), &v); err != nil {
		t.Fatal(err)
	}
	if v.Frames != 300 || len(v.Protocols) != 1 || v.Protocols[0].Name != "eth" || v.Protocols[0].Frames != 300 {
		t.Errorf("stats JSON: %+v", v)
	}
}

func TestStatsIOCSVAndJSON(t *testing.T) {
	name := synthPcap(t, 2000)
	csv := mustRun(t, "stats", "--io", "10ms", "--filter", "tcp", "--filter", "udp", "--csv", name)
	lines := strings.Split(strings.TrimSpace(csv.stdout), "\n")
	if lines[0] != "start,end,frames_1,bytes_1,frames_2,bytes_2,min_len_1,max_len_1,avg_len_1,min_len_2,max_len_2,avg_len_2" {
		t.Fatalf("CSV header %q", lines[0])
	}
	var frames int
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		a, _ := strconv.Atoi(f[2])
		b, _ := strconv.Atoi(f[4])
		frames += a + b
	}
	if frames != 2000 {
		t.Errorf("tcp+udp columns count %d frames, want 2000", frames)
	}
	plain := mustRun(t, "stats", "--io", "0.01", "--csv", name)
	if !strings.HasPrefix(plain.stdout, "start,end,frames,bytes,min_len,max_len,avg_len\n") {
		t.Errorf("CSV without filters: %.80q", plain.stdout)
	}
	js := mustRun(t, "stats", "--io", "100us", "--json", name, name)
	var v struct {
		Frames    uint64 `json:"frames"`
		Intervals []struct {
			Start   float64 `json:"start"`
			Columns []struct {
				Frames uint64 `json:"frames"`
			} `json:"columns"`
		} `json:"intervals"`
	}
	if err := json.Unmarshal([]byte(js.stdout), &v); err != nil {
		t.Fatal(err)
	}
	if v.Frames != 4000 || len(v.Intervals) == 0 {
		t.Errorf("two files as one: %d frames, %d intervals", v.Frames, len(v.Intervals))
	}
}

func TestStatsConvAndEndpoints(t *testing.T) {
	name := synthPcap(t, 1000)
	for _, kind := range []string{"eth", "ip", "ipv6", "tcp", "udp"} {
		res := mustRun(t, "stats", "--conv", kind, "--csv", "--top", "3", "--sort", "bytes", name)
		lines := strings.Split(strings.TrimSpace(res.stdout), "\n")
		if !strings.HasPrefix(lines[0], "address_a,") || !strings.Contains(lines[0], ",frames,bytes,") || len(lines) > 4 {
			t.Errorf("--conv %s CSV:\n%s", kind, res.stdout)
		}
		ep := mustRun(t, "stats", "--endpoints", kind, "--json", name)
		var v struct {
			Endpoints []struct {
				Frames, TxFrames, RxFrames uint64
			} `json:"endpoints"`
		}
		if err := json.Unmarshal([]byte(ep.stdout), &v); err != nil || len(v.Endpoints) == 0 {
			t.Errorf("--endpoints %s JSON: %v\n%.200s", kind, err, ep.stdout)
		}
	}
	text := mustRun(t, "stats", "--conv", "tcp", name)
	if !strings.Contains(text.stdout, "Address A") || !strings.Contains(text.stdout, "Rel Start") {
		t.Errorf("text table:\n%s", text.stdout)
	}
}

func TestStatsUsageErrors(t *testing.T) {
	name := synthPcap(t, 10)
	for _, args := range [][]string{
		{"stats", "--io", "0", name},
		{"stats", "--io", "0.0000001", name},
		{"stats", "--io", "1", "--conv", "ip", name},
		{"stats", "--filter", "tcp", name},
		{"stats", "--conv", "ipx", name},
		{"stats", "--io", "1", "--filter", "tcp and", name},
		{"stats", "--csv", name},
	} {
		if res := runTool(t, nil, args...); res.code != exitFailure {
			t.Errorf("%v: exit %d, want %d", args, res.code, exitFailure)
		}
	}
}
