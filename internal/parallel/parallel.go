// Package parallel runs independent jobs (one per input file) on several
// goroutines while their results come out in input order, as the
// commands that take many files (info, validate) print them.
package parallel

import (
	"runtime"
	"sync"
)

// Ordered calls work(i) for every i in [0, n) on up to jobs goroutines
// (jobs <= 0 means runtime.NumCPU()) and emit(i, result) on the calling
// goroutine in the order of i, each as soon as it and every result before
// it are ready. At most 2*jobs results are computed ahead of the one
// being waited for, so memory is bounded whatever n is. When emit returns
// an error no further work starts, and Ordered returns that error once the
// running calls have finished.
func Ordered[T any](n, jobs int, work func(i int) T, emit func(i int, result T) error) error {
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	if jobs == 1 || n <= 1 {
		for i := range n {
			if err := emit(i, work(i)); err != nil {
				return err
			}
		}
		return nil
	}
	results := make([]T, n)
	ready := make([]chan struct{}, n)
	for i := range ready {
		ready[i] = make(chan struct{})
	}
	tokens := make(chan struct{}, 2*jobs)
	indexes := make(chan int)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range indexes {
				results[i] = work(i)
				close(ready[i])
			}
		}()
	}
	go func() {
		defer close(indexes)
		for i := range n {
			select {
			case tokens <- struct{}{}:
			case <-stop:
				return
			}
			select {
			case indexes <- i:
			case <-stop:
				return
			}
		}
	}()
	var err error
	for i := range n {
		<-ready[i]
		err = emit(i, results[i])
		var zero T
		results[i] = zero
		<-tokens
		if err != nil {
			close(stop)
			break
		}
	}
	wg.Wait()
	return err
}
