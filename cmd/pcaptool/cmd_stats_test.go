package main

import (
	"encoding/json"
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
