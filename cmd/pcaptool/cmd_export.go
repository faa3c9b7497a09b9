package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pcaptool/pcaptool/export"
)

func init() { rootCmd.AddCommand(newExportCmd()) }

// exportFlags are the export command's flags as typed.
type exportFlags struct {
	table, format, partition, compression, out string
	schema                                     bool
	opts                                       export.Options
}

func newExportCmd() *cobra.Command {
	var fl exportFlags
	cmd := &cobra.Command{
		Use:   "export [flags] -o OUT FILE...",
		Short: "Export packets or conversations to Parquet, CSV or JSON Lines for DuckDB, Spark and Trino",
		Long: `Write one row per packet (--table packets) or per TCP/UDP conversation
(--table flows, as "flows --json" reports them) of every input capture, in
Parquet (zstd, TIMESTAMP(NANOS) times, row-group statistics), CSV or JSON Lines.
Headers a packet lacks are NULL. --schema prints the columns.

With --partition-by hour|day, OUT is a directory that receives a Hive-style
tree (date=2024-01-01/hour=10/part-00000.parquet) that DuckDB, Spark and
Trino read as one partitioned table; --max-rows-per-file splits parts.
Memory stays bounded whatever the input size, and files appear only when the
whole export succeeded.`,
		Example: `  pcaptool export -o packets.parquet capture.pcapng
  pcaptool export --table flows -o flows.parquet capture.pcap
  pcaptool export --partition-by hour -o table/ sensor1-*.pcap.zst
  pcaptool export --format csv -o - capture.pcap | head
  pcaptool export --schema`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExport(cmd, args, &fl)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&fl.out, "output", "o", "", "output file, directory (with --partition-by or --max-rows-per-file), or - for stdout")
	f.StringVar(&fl.table, "table", "packets", "rows: packets or flows")
	f.StringVarP(&fl.format, "format", "F", "", "parquet, csv or jsonl (default: from the output name, else parquet)")
	f.StringVar(&fl.compression, "compress", "zstd", "Parquet compression: zstd, snappy or none")
	f.StringVar(&fl.partition, "partition-by", "", "write a Hive-style tree partitioned by hour or day (UTC)")
	f.Int64Var(&fl.opts.MaxRowsPerFile, "max-rows-per-file", 0, "start a new part file after this many rows (OUT is a directory)")
	f.IntVar(&fl.opts.RowGroupRows, "row-group-rows", 128<<10, "rows per Parquet row group")
	f.StringVar(&fl.opts.PartPrefix, "part-prefix", "part", "part file name prefix (unique per shard when shards share a tree)")
	f.BoolVar(&fl.opts.WithData, "with-data", false, "add the captured bytes as column data")
	f.BoolVar(&fl.schema, "schema", false, "print the table's columns and Parquet schema, and exit")
	f.DurationVar(&fl.opts.Flows.IdleTimeout, "idle-timeout", 0, "end conversations idle this long (default 5m)")
	f.DurationVar(&fl.opts.Flows.ClosedTimeout, "closed-timeout", 0, "end closed TCP conversations after this long (default 10s)")
	cmd.RegisterFlagCompletionFunc("table", fixedCompletions("packets", "flows"))
	cmd.RegisterFlagCompletionFunc("format", fixedCompletions("parquet", "csv", "jsonl"))
	cmd.RegisterFlagCompletionFunc("compress", fixedCompletions("zstd", "snappy", "none"))
	cmd.RegisterFlagCompletionFunc("partition-by", fixedCompletions("hour", "day"))
	return cmd
}

// resolve turns the typed flags into options.
func (fl *exportFlags) resolve() error {
	var err error
	if fl.opts.Table, err = export.ParseTable(fl.table); err != nil {
		return err
	}
	format := fl.format
	if format == "" {
		format = "parquet"
		for _, ext := range []string{"csv", "jsonl", "ndjson", "json"} {
			if len(fl.out) > len(ext) && fl.out[len(fl.out)-len(ext)-1:] == "."+ext {
				format = ext
			}
		}
	}
	if fl.opts.Format, err = export.ParseFormat(format); err != nil {
		return err
	}
	if fl.opts.Compression, err = export.ParseCompression(fl.compression); err != nil {
		return err
	}
	fl.opts.Partition, err = export.ParsePartition(fl.partition)
	return err
}

func runExport(cmd *cobra.Command, args []string, fl *exportFlags) error {
	if err := fl.resolve(); err != nil {
		return withExitCode(exitFailure, err)
	}
	if fl.schema {
		if err := export.WriteSchema(cmd.OutOrStdout(), fl.opts.Table, fl.opts.WithData); err != nil {
			return printWriteError(err)
		}
		return nil
	}
	if fl.out == "" || len(args) == 0 {
		return withExitCode(exitFailure, fmt.Errorf("export: need -o OUT and at least one input capture"))
	}
	inputs, err := openInputs(args)
	if err != nil {
		return withExitCode(exitFailure, err)
	}
	defer closeInputs(inputs)
	fl.opts.Group = &outputs // the signal handler discards unfinished files
	exp, err := export.Create(fl.out, fl.opts)
	if err != nil {
		return withExitCode(exitFailure, err)
	}
	done := progress(false, "export", inputs...)
	for i, in := range inputs {
		if err := exp.AddCapture(args[i], in); err != nil {
			done()
			exp.Abort()
			return withExitCode(exitFailure, err)
		}
	}
	done()
	if err := exp.Close(); err != nil {
		return withExitCode(exitFailure, err)
	}
	return nil
}
