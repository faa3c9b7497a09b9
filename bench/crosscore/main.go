// Command crosscore measures what handing data from one core to another
// costs on this machine, the price of every read-ahead or write-behind
// design: the round trip of a cache line bounced between two threads, and
// reading 64 MiB (one byte per cache line) just written by the other core
// against reading it again from this one.
//
//	go run ./crosscore
package main

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"time"
)

const rounds = 200_000

func main() {
	runtime.GOMAXPROCS(2)
	fmt.Printf("cache line round trip between two threads: %v\n", pingPong())
	other, own := streamRead()
	fmt.Printf("64 MiB written by the other core, read one byte per line: %v; read again: %v (%.1fx)\n",
		other, own, float64(other)/float64(own))
	if sink == 0 {
		fmt.Println("(nothing read)")
	}
}

// pingPong bounces a counter between two locked threads and returns the
// time of one round trip.
func pingPong() time.Duration {
	var flag atomic.Int64
	done := make(chan struct{})
	go func() {
		runtime.LockOSThread()
		for i := int64(1); i <= rounds; i++ {
			for flag.Load() != 2*i-1 {
			}
			flag.Store(2 * i)
		}
		close(done)
	}()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start := time.Now()
	for i := int64(1); i <= rounds; i++ {
		flag.Store(2*i - 1)
		for flag.Load() != 2*i {
		}
	}
	<-done
	return time.Since(start) / rounds
}

// sink keeps the reads observable to the compiler.
var sink int

// streamRead has another thread write a buffer, then times reading it here,
// twice.
func streamRead() (other, own time.Duration) {
	buf := make([]byte, 64<<20)
	for i := range buf { // fault the pages in here first
		buf[i] = 1
	}
	var ready atomic.Bool
	go func() {
		runtime.LockOSThread()
		for i := 0; i < len(buf); i += 64 {
			buf[i] = 2
		}
		ready.Store(true)
	}()
	for !ready.Load() {
	}
	read := func() time.Duration {
		start := time.Now()
		s := 0
		for i := 0; i < len(buf); i += 64 {
			s += int(buf[i])
		}
		sink += s
		return time.Since(start)
	}
	other = read()
	own = read()
	return other, own
}
