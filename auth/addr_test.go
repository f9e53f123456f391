package auth_test

import (
	"testing"

	"github.com/allegiance/allegiance/auth"
)

func TestIsLoopback(t *testing.T) {
	cases := []struct {
		addr string
		want bool
	}{
		{"127.0.0.1:8080", true},
		{"127.1.2.3:0", true},
		{"localhost:8080", true},
		{"LocalHost:8080", true},
		{"[::1]:8080", true},
		{"[::ffff:127.0.0.1]:8080", true},
		{":8080", false},
		{"0.0.0.0:8080", false},
		{"[::]:8080", false},
		{"10.0.0.5:8080", false},
		{"192.168.1.10:8080", false},
		{"example.org:8080", false},
		{"localhost.example.org:8080", false},
		{"127.0.0.1", false}, // no port: not an address to listen on
		{"", false},
	}
	for _, c := range cases {
		t.Run(c.addr, func(t *testing.T) {
			if got := auth.IsLoopback(c.addr); got != c.want {
				t.Errorf("IsLoopback(%q): got %v, want %v", c.addr, got, c.want)
			}
		})
	}
}
