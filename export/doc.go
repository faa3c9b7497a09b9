// Package export writes the packets or the conversations of captures as
// rows of a table, in Parquet, CSV or JSON Lines, for analytics engines
// such as DuckDB, Spark and Trino.
//
// A packets table has one row per packet (PacketRow): where and when it was
// captured, its lengths, and the fields of its Ethernet, VLAN, IP, TCP and
// UDP headers, with NULL for the headers a packet lacks; FlowID joins it to
// a flows table, which has one row per TCP or UDP conversation (FlowRow)
// as package flows follows them. Each packet is decoded once, by the flows
// tracker that also assigns its conversation.
//
// Output streams in bounded memory: rows are encoded on a second goroutine
// in batches, Parquet row groups hold at most Options.RowGroupRows rows,
// and with Options.Partition the rows go to a Hive-style directory tree
// (date=2024-01-01/hour=10/part-00000.parquet) that engines read as one
// partitioned table. Every file is written to a temporary name beside its
// destination and renamed only when the whole export succeeded, so a failed
// run leaves no half-written file behind.
//
// Parquet files are zstd-compressed, carry TIMESTAMP(NANOS, UTC) time
// columns and min/max statistics per row group and page, so engines skip
// row groups by time.
package export
