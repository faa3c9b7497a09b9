// Package replay sends the packets of a capture out of an interface, as
// tcpreplay does: with the capture's own timing scaled by a speed factor,
// at a fixed packet or bit rate, or as fast as the interface takes them;
// over several passes, up to a packet count or a duration; and it reports
// what it sent with tcpreplay's statistics.
//
// A Schedule computes when each packet is due, a pure function of the
// packets' timestamps and lengths that tests can check without a network.
// A Replayer follows the schedule: it waits for each packet with a sleep
// that stops short of the due time and a spin on the monotonic clock for
// the rest, and hands packets that are due together (all of them at top
// speed) to its Sender as one batch, which live.Injector sends with a
// single sendmmsg(2). Nothing it touches while the clock runs is touched
// for the first time then: an input with a Fill method (capfile.Reader)
// reads its first MiB ahead before the first packet, the batch buffer is
// written once at the start, and the send allocates nothing. A timed
// replay is most accurate with GOMAXPROCS=1, which pcaptool replay sets:
// the wait then sleeps its thread with nanosleep(2) rather than on a Go
// timer (which the runtime polls with millisecond timeouts), and the
// scheduler wakes no other thread when the spinning goroutine yields. With
// Config.RealtimePriority the process runs under SCHED_FIFO for the
// replay, where permitted, so that no ordinary process takes the sender's
// CPU when a packet is due, and Config.CPU pins it to the CPU that handles
// the fewest device interrupts, or to one of the caller's choice. A
// Replayer counts flows as tcpreplay does (Stats.Flows).
//
//	inj, err := live.OpenInjector("eth0")
//	if err != nil { return err }
//	defer inj.Close()
//	r := &replay.Replayer{Sender: inj, Config: replay.Config{Speed: 2}}
//	st, err := r.Run(ctx, replay.OpenFile("in.pcapng"))
//	st.WriteText(os.Stdout) // "Actual: 1000 packets (741958 bytes) sent in ..."
package replay
