package decode_test

import (
	"bytes"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/pcaptool/pcaptool/decode"
	"github.com/pcaptool/pcaptool/internal/testcap"
	"github.com/pcaptool/pcaptool/internal/testenv"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/synth"
)

var phsLine = regexp.MustCompile(`^( *)(\S+) +frames:(\d+) bytes:(\d+)$`)

// phsTop returns the lines of a protocol hierarchy down to the transport
// layer (depth < 3), where tshark's and ours must agree; deeper levels
// differ where tshark dissects application protocols.
func phsTop(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if m := phsLine.FindStringSubmatch(l); m != nil && len(m[1]) < 6 {
			out = append(out, l)
		}
	}
	return out
}

func TestHierarchyMatchesTshark(t *testing.T) {
	tshark := testenv.RequireTool(t, "tshark")
	name := writePcap(t, synth.New(synth.Config{Packets: 2000, Seed: 4}), linktype.Ethernet, false)
	h := decode.NewHierarchy()
	_, recs := testcap.ReadPcap(t, name)
	for _, rec := range recs {
		h.Add(&pkt.Packet{Timestamp: rec.Timestamp, Length: rec.Length, Data: rec.Data}, linktype.Ethernet)
	}
	var got bytes.Buffer
	if err := h.WriteText(&got); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tshark, "-n", "-r", name, "-q", "-z", "io,phs").Output()
	if err != nil {
		t.Fatal(err)
	}
	g, w := phsTop(got.String()), phsTop(string(out))
	if strings.Join(g, "\n") != strings.Join(w, "\n") {
		t.Errorf("hierarchy down to transport differs:\n got:\n%s\nwant:\n%s", strings.Join(g, "\n"), strings.Join(w, "\n"))
	}
	t.Logf("%d hierarchy lines (eth, ip, ipv6, tcp, udp) equal to tshark's, layout included", len(w))
}
