package hugepages

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

func TestAnonymousWritable(t *testing.T) {
	tests := []struct {
		line       string
		start, end uintptr
		ok         bool
	}{
		{"c000000000-c004000000 rw-p 00000000 00:00 0 ", 0xc000000000, 0xc004000000, true},
		{"7f0c1c000000-7f0c1c021000 rw-p 00000000 00:00 0", 0x7f0c1c000000, 0x7f0c1c021000, true},
		{"7ffd4f6b3000-7ffd4f6d4000 rw-p 00000000 00:00 0                          [stack]", 0, 0, false},
		{"00400000-00401000 r-xp 00000000 08:01 1234 /usr/bin/allegiance", 0, 0, false},
		{"00600000-00601000 rw-p 00000000 08:01 1234 /usr/bin/allegiance", 0, 0, false},
		{"c004000000-c008000000 ---p 00000000 00:00 0", 0, 0, false},
		{"7f0c1c021000-7f0c20000000 rw-s 00000000 00:01 99 /dev/zero (deleted)", 0, 0, false},
		{"zz-c0 rw-p 00000000 00:00 0", 0, 0, false},
		{"", 0, 0, false},
	}
	for _, tt := range tests {
		start, end, ok := anonymousWritable([]byte(tt.line))
		if start != tt.start || end != tt.end || ok != tt.ok {
			t.Errorf("anonymousWritable(%q) = %#x, %#x, %v; want %#x, %#x, %v", tt.line, start, end, ok, tt.start, tt.end, tt.ok)
		}
	}
}

// TestCollapse fills 64 MB of heap and checks that Collapse puts the
// mapping holding it on huge pages, as /proc/self/smaps reports them; on
// a system with THP "never" it checks that Collapse leaves it alone.
func TestCollapse(t *testing.T) {
	setting, err := os.ReadFile(settingFile)
	if err != nil {
		t.Fatalf("reading the THP setting: %v", err)
	}
	buf := make([]byte, 64<<20)
	for i := range buf {
		buf[i] = byte(i)
	}
	addr := uintptr(unsafe.Pointer(unsafe.SliceData(buf)))
	rep, err := Collapse()
	if strings.Contains(string(setting), "[never]") {
		if !errors.Is(err, ErrNever) {
			t.Fatalf("Collapse with THP never: got %+v, %v; want ErrNever", rep, err)
		}
		return
	}
	if err != nil {
		t.Fatalf("Collapse: %v (THP setting %q)", err, bytes.TrimSpace(setting))
	}
	// The buffer's whole huge pages: at least 62 MB of it.
	const want = 62 << 20
	if rep.Collapsed < want {
		t.Errorf("Collapse reported %d bytes collapsed, want at least %d", rep.Collapsed, want)
	}
	if got := hugeAt(t, addr); got < want {
		t.Errorf("smaps: the mapping at %#x has %d bytes of AnonHugePages, want at least %d", addr, got, want)
	}
	if buf[12345] != byte(12345%256) || buf[len(buf)-1] != byte((len(buf)-1)%256) {
		t.Errorf("the buffer changed in Collapse")
	}
	runtime.KeepAlive(buf)
}

// hugeAt returns the AnonHugePages, in bytes, of the mapping holding
// addr.
func hugeAt(tb testing.TB, addr uintptr) int64 {
	tb.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		switch {
		case len(fields) == 0:
		case !strings.HasSuffix(fields[0], ":"): // a mapping's first line
			lo, hi, _ := strings.Cut(fields[0], "-")
			s, err1 := strconv.ParseUint(lo, 16, 64)
			e, err2 := strconv.ParseUint(hi, 16, 64)
			in = err1 == nil && err2 == nil && uintptr(s) <= addr && addr < uintptr(e)
		case in && fields[0] == "AnonHugePages:" && len(fields) > 1:
			kb, err := strconv.ParseInt(fields[1], 10, 64)
			if err != nil {
				tb.Fatalf("smaps: %q: %v", sc.Text(), err)
			}
			return kb << 10
		}
	}
	tb.Fatalf("smaps: no mapping holds %#x", addr)
	return 0
}
