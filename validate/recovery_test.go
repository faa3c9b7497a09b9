package validate

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/internal/damage"
	"github.com/pcaptool/pcaptool/internal/testenv"
)

// pcapfixModes are the pcapfix invocations compared: the default, deep
// scan, soft mode, both, and the forced pcapng mode for pcapng files.
var pcapfixModes = []struct {
	name   string
	args   []string
	pcapng bool // only for pcapng sources
}{
	{"default", nil, false},
	{"--deep-scan", []string{"--deep-scan"}, false},
	{"--soft-mode", []string{"--soft-mode"}, false},
	{"-d -s", []string{"--deep-scan", "--soft-mode"}, false},
	{"--pcapng", []string{"--pcapng"}, true},
	{"--pcapng -s", []string{"--pcapng", "--soft-mode"}, true},
}

// recoveryRow is one damaged file's results.
type recoveryRow struct {
	c        damage.Case
	ours     damage.Score
	rep      *Report
	fix      []damage.Score // one per pcapfix mode run
	best     int            // intact packets of the best pcapfix mode
	bestMode string
}

// repairScore runs the repair on c at the given window size.
func repairScore(t *testing.T, c damage.Case, window int) (damage.Score, *Report) {
	var out bytes.Buffer
	rep, err := Reader(bytes.NewReader(c.Data), Options{WindowSize: window,
		Keep: func(b []byte) error { out.Write(b); return nil }})
	if err != nil {
		t.Errorf("%s: %v", c.Name(), err)
	}
	return damage.Count(out.Bytes(), c.Original), rep
}

// pcapfixScore runs pcapfix with args on c and scores its output (none
// when pcapfix writes none).
func pcapfixScore(t *testing.T, pcapfix, dir string, c damage.Case, args []string) damage.Score {
	name := strings.NewReplacer("/", "_").Replace(c.Name())
	in := filepath.Join(dir, name+c.Ext)
	out := filepath.Join(dir, "fixed_"+name+c.Ext)
	if err := os.WriteFile(in, c.Data, 0o644); err != nil {
		t.Error(err)
		return damage.Score{Err: err.Error()}
	}
	os.Remove(out)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, pcapfix, append(append([]string{"-k", "-o", out}, args...), in)...)
	cmd.Run() // its exit status says whether it changed anything; the output says what it kept
	b, err := os.ReadFile(out)
	if err != nil {
		return damage.Score{Err: "no output"}
	}
	return damage.Count(b, c.Original)
}

// TestRecoveryVsPcapfix damages generated captures the ways real files are
// damaged and counts the packets recovered intact (same bytes, time and
// lengths as an original packet, in order). The repair never invents or
// reorders a packet, recovers every packet the damage left intact (or
// whose damaged length field the next record's position restores), gives
// the same result whatever its window size, and,
// when pcapfix is installed, keeps at least as many intact packets as the
// best pcapfix mode on every file and more in total.
//
// PCAPTOOL_RECOVERY_PACKETS sets the packets per source (default 200, for
// CI); PCAPTOOL_RECOVERY_TABLE names a file to write the markdown table
// to (bench/recovery.sh); PCAPTOOL_RECOVERY_NO_PCAPFIX=1 checks the repair
// alone, quickly.
func TestRecoveryVsPcapfix(t *testing.T) {
	n := 200
	if v, err := strconv.Atoi(os.Getenv("PCAPTOOL_RECOVERY_PACKETS")); err == nil && v >= 100 {
		n = v
	}
	cases := damage.Set(n)
	pcapfix := ""
	if os.Getenv("PCAPTOOL_RECOVERY_NO_PCAPFIX") == "1" {
		t.Log("PCAPTOOL_RECOVERY_NO_PCAPFIX=1: checking the repair alone")
	} else if _, err := exec.LookPath("pcapfix"); err == nil || testenv.Required() {
		pcapfix = testenv.RequireTool(t, "pcapfix")
	} else {
		t.Log("pcapfix not installed: checking the repair alone (apt-get install pcapfix)")
	}
	dir := t.TempDir()
	dump := os.Getenv("PCAPTOOL_RECOVERY_DUMP")
	rows := make([]recoveryRow, len(cases))
	// pcapfix runs dominate: a few files at a time.
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2*runtime.NumCPU())
	for i, c := range cases {
		if dump != "" {
			os.WriteFile(filepath.Join(dump, strings.ReplaceAll(c.Name(), "/", "_")+c.Ext), c.Data, 0o644)
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			rows[i] = checkRecovery(t, pcapfix, dir, c)
		}()
	}
	wg.Wait()
	ours, theirs := 0, 0
	for _, r := range rows {
		ours += r.ours.Intact
		theirs += max(r.best, 0)
	}
	if pcapfix != "" && ours <= theirs {
		t.Errorf("in total the repair keeps %d intact packets, the best pcapfix modes %d", ours, theirs)
	}
	t.Logf("%d damaged files of %d-packet sources: repair keeps %d intact packets, best pcapfix mode per file %d",
		len(rows), n, ours, theirs)
	if path := os.Getenv("PCAPTOOL_RECOVERY_TABLE"); path != "" {
		writeRecoveryTable(t, path, rows)
	}
}

// checkRecovery repairs one damaged file and runs every pcapfix mode on it
// (when pcapfix is given), reporting what the repair got wrong.
func checkRecovery(t *testing.T, pcapfix, dir string, c damage.Case) recoveryRow {
	r := recoveryRow{c: c}
	r.ours, r.rep = repairScore(t, c, 0)
	if r.ours.Invented != 0 || r.ours.Reorder != 0 || r.ours.Err != "" {
		t.Errorf("%s: repair output has %d invented and %d reordered packets (read error %q)",
			c.Name(), r.ours.Invented, r.ours.Reorder, r.ours.Err)
	}
	if r.ours.Intact != c.Intact {
		t.Errorf("%s: repair keeps %d intact packets of the %d the damage left intact", c.Name(), r.ours.Intact, c.Intact)
	}
	if small, _ := repairScore(t, c, 7); small != r.ours {
		t.Errorf("%s: window of 7 bytes recovers %+v, default window %+v", c.Name(), small, r.ours)
	}
	if len(r.rep.Dropped.Regions) == 0 && r.ours.Intact < len(c.Original) {
		t.Errorf("%s: %d of %d packets kept but the report lists no dropped region", c.Name(), r.ours.Intact,
			len(c.Original))
	}
	if pcapfix == "" {
		return r
	}
	r.best = -1
	for _, m := range pcapfixModes {
		if m.pcapng && c.Ext != ".pcapng" {
			continue
		}
		s := pcapfixScore(t, pcapfix, dir, c, m.args)
		r.fix = append(r.fix, s)
		if s.Intact > r.best {
			r.best, r.bestMode = s.Intact, m.name
		}
	}
	if r.ours.Intact < r.best {
		t.Errorf("%s: repair keeps %d intact packets, pcapfix %s %d", c.Name(), r.ours.Intact, r.bestMode, r.best)
	}
	return r
}

// writeRecoveryTable writes the markdown tables of bench/recovery.sh: per
// damage kind, and per file with every pcapfix mode (intact/invented).
func writeRecoveryTable(t *testing.T, path string, rows []recoveryRow) {
	var b strings.Builder
	fmt.Fprintf(&b, "| damage | files | packets | left intact by the damage | `pcaptool repair` intact | invented | pcapfix best mode intact | pcapfix invented |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
	type sum struct{ files, orig, left, ours, inv, best, binv int }
	byKind := map[string]*sum{}
	for _, r := range rows {
		k := byKind[r.c.Damage]
		if k == nil {
			k = &sum{}
			byKind[r.c.Damage] = k
		}
		k.files++
		k.orig += len(r.c.Original)
		k.left += r.c.Intact
		k.ours += r.ours.Intact
		k.inv += r.ours.Invented
		k.best += max(r.best, 0)
		for i, s := range r.fix {
			if s.Intact == r.best {
				k.binv += r.fix[i].Invented
				break
			}
		}
	}
	var tot sum
	for _, kind := range damage.Kinds {
		k := byKind[kind]
		if k == nil {
			continue
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d | %d | %d |\n", kind, k.files, k.orig, k.left, k.ours, k.inv, k.best, k.binv)
		tot.files += k.files
		tot.orig += k.orig
		tot.left += k.left
		tot.ours += k.ours
		tot.inv += k.inv
		tot.best += k.best
		tot.binv += k.binv
	}
	fmt.Fprintf(&b, "| **total** | %d | %d | %d | **%d** | %d | %d | %d |\n\n", tot.files, tot.orig, tot.left, tot.ours, tot.inv,
		tot.best, tot.binv)
	fmt.Fprintf(&b, "| file | packets | left intact | repair intact/invented | pcapfix intact/invented: %s |\n|---|---:|---:|---:|---|\n",
		modeNames())
	for _, r := range rows {
		var fx []string
		for _, s := range r.fix {
			fx = append(fx, fmt.Sprintf("%d/%d", s.Intact, s.Invented))
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %d/%d | %s |\n", r.c.Name(), len(r.c.Original), r.c.Intact, r.ours.Intact, r.ours.Invented,
			strings.Join(fx, " "))
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func modeNames() string {
	var s []string
	for _, m := range pcapfixModes {
		s = append(s, m.name)
	}
	return strings.Join(s, ", ")
}
