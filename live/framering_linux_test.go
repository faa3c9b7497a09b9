//go:build linux

package live

import "testing"

// TestFrameGeometry checks how a TPACKET_V2 ring is laid out: frames hold
// the packet after the kernel's headroom, fill their blocks evenly, and
// there are enough of them for the buffer size asked for.
func TestFrameGeometry(t *testing.T) {
	tests := []struct {
		name                                    string
		room, buffer                            int
		frameSize, perBlock, blockSize, frameNr int
	}{
		{"Ethernet MTU, 4 MiB", 1532, 4 << 20, 1632, 5, 8192, 2560},
		{"Ethernet MTU, rounded up", 1532, 10000, 1632, 5, 8192, 10},
		{"short snap length", 96, 1 << 20, 192, 85, 16384, 5440},
		{"loopback MTU", 65568, 2 << 20, 69904, 15, 1 << 20, 30},
		{"smaller than a block", 1532, 1, 1632, 5, 8192, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs, per, bs, nr := frameGeometry(tt.room, tt.buffer, 4096)
			if fs != tt.frameSize || per != tt.perBlock || bs != tt.blockSize || nr != tt.frameNr {
				t.Fatalf("frameGeometry(%d, %d) = frame %d, %d per block of %d, %d frames; want %d, %d per %d, %d",
					tt.room, tt.buffer, fs, per, bs, nr, tt.frameSize, tt.perBlock, tt.blockSize, tt.frameNr)
			}
			if fs < frameHeadroom+tt.room || fs%16 != 0 || per*fs > bs || nr/per*bs < tt.buffer {
				t.Errorf("frame %d does not hold %d bytes after the headroom, or the ring is short", fs, tt.room)
			}
		})
	}
}
