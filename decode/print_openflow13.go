package decode

// OpenFlow 1.3 message bodies at -v that share their layout with 1.0's
// (errors, features reply) in tcpdump's layout; names follow the OpenFlow
// 1.3.5 specification.

var (
	of13ErrorTypes = map[uint16]string{0: "HELLO_FAILED", 1: "BAD_REQUEST", 2: "BAD_ACTION",
		3: "BAD_INSTRUCTION", 4: "BAD_MATCH", 5: "FLOW_MOD_FAILED", 6: "GROUP_MOD_FAILED",
		7: "PORT_MOD_FAILED", 8: "TABLE_MOD_FAILED", 9: "QUEUE_OP_FAILED", 10: "SWITCH_CONFIG_FAILED",
		11: "ROLE_REQUEST_FAILED", 12: "METER_MOD_FAILED", 13: "TABLE_FEATURES_FAILED", 0xffff: "EXPERIMENTER"}
	of13ErrorCodes = map[uint16]map[uint16]string{
		0: {0: "INCOMPATIBLE", 1: "EPERM"},
		1: {0: "BAD_VERSION", 1: "BAD_TYPE", 2: "BAD_MULTIPART", 3: "BAD_EXPERIMENTER", 4: "BAD_EXP_TYPE",
			5: "EPERM", 6: "BAD_LEN", 7: "BUFFER_EMPTY", 8: "BUFFER_UNKNOWN", 9: "BAD_TABLE_ID",
			10: "IS_SLAVE", 11: "BAD_PORT", 12: "BAD_PACKET", 13: "MULTIPART_BUFFER_OVERFLOW"},
		2: {0: "BAD_TYPE", 1: "BAD_LEN", 2: "BAD_EXPERIMENTER", 3: "BAD_EXP_TYPE", 4: "BAD_OUT_PORT",
			5: "BAD_ARGUMENT", 6: "EPERM", 7: "TOO_MANY", 8: "BAD_QUEUE", 9: "BAD_OUT_GROUP",
			10: "MATCH_INCONSISTENT", 11: "UNSUPPORTED_ORDER", 12: "BAD_TAG", 13: "BAD_SET_TYPE",
			14: "BAD_SET_LEN", 15: "BAD_SET_ARGUMENT"},
		6: {0: "GROUP_EXISTS", 1: "INVALID_GROUP", 2: "WEIGHT_UNSUPPORTED", 3: "OUT_OF_GROUPS",
			4: "OUT_OF_BUCKETS", 5: "CHAINING_UNSUPPORTED", 6: "WATCH_UNSUPPORTED", 7: "LOOP",
			8: "UNKNOWN_GROUP", 9: "CHAINED_GROUP", 10: "BAD_TYPE", 11: "BAD_COMMAND", 12: "BAD_BUCKET",
			13: "BAD_WATCH", 14: "EPERM"},
	}
	of13Capabilities = []bitName{{1, "FLOW_STATS"}, {2, "TABLE_STATS"}, {4, "PORT_STATS"}, {8, "GROUP_STATS"},
		{0x20, "IP_REASM"}, {0x40, "QUEUE_STATS"}, {0x100, "PORT_BLOCKED"}}
)

// of13Body prints the body of n bytes at at of the OpenFlow 1.3 message
// types decoded here; it reports false for the others.
func (o *out) of13Body(d view, at, n int, typ uint8) bool {
	switch typ {
	case 1: // ERROR
		o.ofError(d, at, n, of13ErrorTypes, of13ErrorCodes)
	case 6: // FEATURES_REPLY
		o.printf("\n\t dpid 0x%016x, n_buffers %d, n_tables %d, auxiliary_id %d",
			d.u64(at), d.u32(at+8), d.u8(at+12), d.u8(at+13))
		caps := d.u32(at + 16)
		o.printf("\n\t capabilities 0x%08x", caps)
		o.ofBitmap(of13Capabilities, caps, bitsMask(of13Capabilities))
		d.need(at, n)
	default:
		return false
	}
	return true
}
