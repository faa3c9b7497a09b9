package filter

import (
	"strings"
)

// Offsets in OpenBSD's struct pfloghdr, the header of PFLOG packets.
const (
	pflogOffAction    = 2
	pflogOffReason    = 3
	pflogOffIfname    = 4
	pflogOffRuleset   = 20
	pflogOffRulenr    = 36
	pflogOffSubrulenr = 40
	pflogOffDir       = 60
	pflogNameSize     = 16 // IFNAMSIZ and PFLOG_RULESET_NAME_SIZE
)

// pflogKeywords maps the pflog keywords to the primitive they name.
var pflogKeywords = map[string]string{
	"on": "ifname", "ifname": "ifname", "rset": "ruleset", "ruleset": "ruleset",
	"rnr": "rnr", "rulenum": "rnr", "srnr": "srnr", "subrulenum": "srnr",
	"reason": "reason", "action": "action",
}

// pflogReasons are pf's reason codes by number (PFRES_NAMES of libpcap's
// pflog.h).
var pflogReasons = []string{"match", "bad-offset", "fragment", "short", "normalize", "memory",
	"bad-timestamp", "congestion", "ip-option", "proto-cksum", "state-mismatch", "state-insert",
	"state-limit", "src-limit", "synproxy"}

// pflogActions are pf's rule actions by number, as libpcap 1.10 on Linux
// names them; "accept" and "block" are aliases of "pass" and "drop".
var pflogActions = []string{"pass", "drop", "scrub", "noscrub", "nat", "nonat", "binat", "nobinat",
	"rdr", "nordr", "synproxy-drop"}

// lookupPflogName finds name, ignoring case, in names (a reason or action
// list), as libpcap's pfreason_to_num and pfaction_to_num.
func lookupPflogName(names []string, name string) (uint32, bool) {
	switch strings.ToLower(name) {
	case "accept":
		name = "pass"
	case "block":
		name = "drop"
	}
	for i, n := range names {
		if strings.EqualFold(n, name) {
			return uint32(i), true
		}
	}
	return 0, false
}

// pflog compiles the pflog primitives: ifname and ruleset compare a name
// with the start of the header's field, rnr and srnr the rule numbers,
// reason and action their codes (libpcap's gen_pf_*).
func (c *compiler) pflog(n *specialNode) *frag {
	if c.linktype != ltPFLOG {
		c.fail("%s supported only on PF linktype", n.Name)
	}
	switch n.Name {
	case "ifname", "ruleset":
		if len(n.Arg) >= pflogNameSize {
			what := "ifname interface names"
			if n.Name == "ruleset" {
				what = "ruleset names"
			}
			c.fail("%s can only be %d characters", what, pflogNameSize-1)
		}
		off := uint32(pflogOffIfname)
		if n.Name == "ruleset" {
			off = pflogOffRuleset
		}
		return c.bcmp(orLinkHdr, off, []byte(n.Arg))
	case "rnr":
		return c.cmp(orLinkHdr, pflogOffRulenr, szW, n.Num)
	case "srnr":
		return c.cmp(orLinkHdr, pflogOffSubrulenr, szW, n.Num)
	case "reason":
		return c.cmp(orLinkHdr, pflogOffReason, szB, n.Num)
	}
	return c.cmp(orLinkHdr, pflogOffAction, szB, n.Num) // action
}
