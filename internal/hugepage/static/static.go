// Package static advises huge pages for the program's uninitialised global
// data as the program starts. Import it for its side effect, from a main
// package only (the advice is process-wide):
//
//	import _ "github.com/pcaptool/pcaptool/internal/hugepage/static"
//
// Go initialises packages in import-path order among those whose imports
// are initialised, so this package, which needs nothing but syscall, runs
// before os and therefore before every package that fills large tables
// at start-up, such as github.com/google/gopacket/layers (5 MiB of enum
// tables: 30 ms of page faults in some virtual machines, 1 ms in huge pages).
package static

import "github.com/pcaptool/pcaptool/internal/hugepage"

func init() { hugepage.AdviseStatic() }
