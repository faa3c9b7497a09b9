package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestFlowsCommand(t *testing.T) {
	name := synthPcap(t, 500)
	res := mustRun(t, "flows", "--json", name)
	var packets uint64
	for _, l := range strings.Split(strings.TrimSpace(res.stdout), "\n") {
		var c struct {
			Proto string `json:"proto"`
			AtoB  struct {
				Packets uint64 `json:"packets"`
			} `json:"a_to_b"`
			BtoA struct {
				Packets uint64 `json:"packets"`
			} `json:"b_to_a"`
		}
		if err := json.Unmarshal([]byte(l), &c); err != nil {
			t.Fatalf("bad JSON %q: %v", l, err)
		}
		packets += c.AtoB.Packets + c.BtoA.Packets
	}
	if packets != 500 {
		t.Errorf("conversations hold %d packets, want 500", packets)
	}
	text := mustRun(t, "flows", name)
	if !strings.HasPrefix(text.stdout, "ID ") || strings.Count(text.stdout, "\n") < 2 {
		t.Errorf("text output:\n%s", text.stdout)
	}
	dir := t.TempDir()
	mustRun(t, "flows", "--export", dir, name)
}
